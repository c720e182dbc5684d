package org.datalayerlab.kernel.engine;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/**
 * Replaces System.out and System.err once per JVM with streams that send text to the sink of the
 * cell that is running. Output written while no cell runs (a background thread a cell started)
 * goes to the original streams.
 */
final class OutputRouter {

    private static volatile CellEngine.OutputSink current;
    private static PrintStream originalOut;
    private static PrintStream originalErr;

    private OutputRouter() {
    }

    static synchronized void install() {
        if (originalOut != null) {
            return;
        }
        originalOut = System.out;
        originalErr = System.err;
        System.setOut(new PrintStream(new SinkStream(false), true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(new SinkStream(true), true, StandardCharsets.UTF_8));
    }

    static void route(CellEngine.OutputSink sink) {
        current = sink;
    }

    /** Flushes what the cell printed and detaches its sink. */
    static void unroute(CellEngine.OutputSink sink) {
        System.out.flush();
        System.err.flush();
        if (current == sink) {
            current = null;
        }
    }

    private static final class SinkStream extends OutputStream {
        private final boolean isErr;
        private final ByteArrayOutputStream buffer = new ByteArrayOutputStream();

        SinkStream(boolean isErr) {
            this.isErr = isErr;
        }

        @Override
        public synchronized void write(int b) {
            buffer.write(b);
        }

        @Override
        public synchronized void write(byte[] b, int off, int len) {
            buffer.write(b, off, len);
        }

        @Override
        public synchronized void flush() {
            byte[] bytes = buffer.toByteArray();
            int complete = completeUtf8Length(bytes);
            if (complete == 0) {
                return;
            }
            String text = new String(bytes, 0, complete, StandardCharsets.UTF_8);
            buffer.reset();
            buffer.write(bytes, complete, bytes.length - complete);
            CellEngine.OutputSink sink = current;
            if (sink == null) {
                PrintStream original = isErr ? originalErr : originalOut;
                original.print(text);
                original.flush();
            } else if (isErr) {
                sink.stderr(text);
            } else {
                sink.stdout(text);
            }
        }

        /** Length of the prefix that ends on a whole UTF-8 character (a print may split one). */
        private static int completeUtf8Length(byte[] bytes) {
            int n = bytes.length;
            for (int back = 1; back <= Math.min(3, n); back++) {
                int b = bytes[n - back] & 0xFF;
                if ((b & 0xC0) == 0x80) {
                    continue; // continuation byte: look further back for the lead byte
                }
                int needed = b >= 0xF0 ? 4 : b >= 0xE0 ? 3 : b >= 0xC0 ? 2 : 1;
                return needed > back ? n - back : n;
            }
            return n;
        }
    }
}
