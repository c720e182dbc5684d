package org.datalayerlab.kernel.runner;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import org.datalayerlab.kernel.engine.CellEngine;

import java.io.BufferedReader;
import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.ExecutorService;

/**
 * The child JVM of {@code lab grade}: runs the cells its parent sends, one at a time, and sends
 * back each cell's outputs, the way a Jupyter kernel answers execute requests. It knows no file
 * of the grader: cells arrive on stdin (one JSON object a line: {@code {"cell": 3, "code": "..."}}),
 * results leave on stdout ({@code {"event": "ready"}}, {@code {"event": "end", "cell": 3, "status":
 * "ok"|"error"|"stderr"|"stuck", "outputs": [...]}}, {@code "start"} before and {@code "exit"} instead of
 * "end" when the cell ends the JVM); the parent keeps the notebook and the scores. The
 * cells' own System.out and System.err go to the cell outputs (or to stderr, the parent's log,
 * between cells), and System.in is empty, so cell code meets neither channel by accident.
 *
 * <p>Arguments: cell timeout (s), engine class. End of input ends the run.
 */
public final class CellProcess {

    private final OutputRecorder recorder = new OutputRecorder();
    private final PrintStream results;
    private final long timeoutSeconds;
    private volatile int runningCell = -1;
    private volatile JsonArray runningOutputs;
    private volatile boolean exitingOnPurpose;

    private CellProcess(PrintStream results, long timeoutSeconds) {
        this.results = results;
        this.timeoutSeconds = timeoutSeconds;
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 2) {
            System.err.println("usage: CellProcess TIMEOUT_SECONDS ENGINE_CLASS (cells on stdin)");
            System.exit(2);
        }
        PrintStream results = new PrintStream(new FileOutputStream(FileDescriptor.out), true, StandardCharsets.UTF_8);
        InputStream requests = new FileInputStream(FileDescriptor.in);
        System.setOut(System.err);
        System.setIn(InputStream.nullInputStream());
        CellProcess run = new CellProcess(results, Long.parseLong(args[0]));
        run.serve(args[1], new BufferedReader(new InputStreamReader(requests, StandardCharsets.UTF_8)));
        run.exitingOnPurpose = true;
        CellRun.exit(0);
    }

    private void serve(String engineClass, BufferedReader requests) throws Exception {
        Runtime.getRuntime().addShutdownHook(new Thread(this::onUnexpectedExit, "cell-exit-guard"));
        ExecutorService cellThread = CellRun.cellThread();
        CellEngine engine = EngineFactory.create(engineClass, Path.of("").toAbsolutePath());
        send(event("ready"));
        int executionCount = 0;
        for (String line; (line = requests.readLine()) != null; ) {
            JsonObject request = JsonParser.parseString(line).getAsJsonObject();
            int cell = request.get("cell").getAsInt();
            JsonArray outputs = new JsonArray();
            recorder.startCell(outputs);
            runningOutputs = outputs;
            runningCell = cell;
            JsonObject start = event("start");
            start.addProperty("cell", cell);
            send(start);
            int count = ++executionCount;
            boolean ok = CellRun.run(engine, cellThread, request.get("code").getAsString(), count, recorder,
                    timeoutSeconds, () -> {
                        sendEnd(cell, "stuck", outputs); // the parent tells why the cells after it did not run
                        exitingOnPurpose = true;
                        CellRun.exit(3);
                    });
            runningCell = -1;
            sendEnd(cell, !ok ? "error" : recorder.wroteStderr() ? "stderr" : "ok", outputs);
        }
        CellRun.closeQuietly(engine, cellThread);
    }

    /** A cell called System.exit or halted the JVM's shutdown: send what it printed; the parent says why. */
    private void onUnexpectedExit() {
        int cell = runningCell;
        if (exitingOnPurpose || cell < 0) return;
        JsonObject exit = event("exit");
        exit.addProperty("cell", cell);
        exit.add("outputs", runningOutputs);
        send(exit);
    }

    private void sendEnd(int cell, String status, JsonArray outputs) {
        JsonObject end = event("end");
        end.addProperty("cell", cell);
        end.addProperty("status", status);
        synchronized (recorder) {
            end.add("outputs", outputs.deepCopy());
        }
        send(end);
    }

    private static JsonObject event(String name) {
        JsonObject e = new JsonObject();
        e.addProperty("event", name);
        return e;
    }

    private synchronized void send(JsonObject message) {
        results.println(message);
        results.flush();
    }
}
