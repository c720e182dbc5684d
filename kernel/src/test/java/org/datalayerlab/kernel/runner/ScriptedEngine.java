package org.datalayerlab.kernel.runner;

import org.datalayerlab.kernel.engine.CellEngine;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * A tiny engine for the runner's own tests: each line of a cell is a command (print, fail,
 * exit, sleep, hang, png, ...). It lets the tests misbehave on purpose (System.exit, ignoring
 * interrupts, leaking threads) without depending on JShell. The runner runs it in a real child
 * JVM exactly as it runs the JShell engine.
 */
public final class ScriptedEngine implements CellEngine {

    private final Path workingDirectory;
    private volatile Thread running;

    public ScriptedEngine(Path workingDirectory) {
        this.workingDirectory = workingDirectory;
    }

    @Override
    public CellResult execute(String code, OutputSink sink) {
        running = Thread.currentThread();
        try {
            for (String line : code.split("\n")) {
                String[] w = line.trim().split(" ", 2);
                String arg = w.length > 1 ? w[1] : "";
                switch (w[0]) {
                    case "print" -> sink.stdout(arg + "\n");
                    case "eprint" -> sink.stderr(arg + "\n");
                    case "fail" -> {
                        return new CellResult(CellResult.Status.ERROR, null,
                                new CellError("TestError", arg, List.of("TestError: " + arg, "    at line 1")));
                    }
                    case "exit" -> System.exit(Integer.parseInt(arg));
                    case "sleep" -> Thread.sleep(Long.parseLong(arg));
                    case "hang" -> {
                        long end = System.nanoTime() + Long.parseLong(arg) * 1_000_000L;
                        while (System.nanoTime() < end) Thread.onSpinWait(); // ignores interrupts
                    }
                    case "png" -> sink.display(Map.of("image/png", png(), "text/plain", "a chart"), null, false);
                    case "html" -> sink.display(Map.of("text/html", arg, "text/plain", arg), null, false);
                    case "display" -> {
                        String[] p = arg.split(" ", 2);
                        sink.display(Map.of("text/plain", p[1]), p[0], false);
                    }
                    case "update" -> {
                        String[] p = arg.split(" ", 2);
                        sink.display(Map.of("text/plain", p[1]), p[0], true);
                    }
                    case "result" -> {
                        return new CellResult(CellResult.Status.OK, Map.of("text/plain", arg), null);
                    }
                    case "thread" -> new Thread(() -> {
                        try {
                            Thread.sleep(Long.MAX_VALUE);
                        } catch (InterruptedException ignored) {
                            // leaked on purpose
                        }
                    }, "leaked").start();
                    case "cwd" -> sink.stdout(workingDirectory + "\n");
                    case "env" -> sink.stdout(arg + "=" + System.getenv(arg) + "\n");
                    case "" -> { }
                    default -> {
                        return new CellResult(CellResult.Status.ERROR, null,
                                new CellError("UnknownCommand", w[0], List.of()));
                    }
                }
            }
            return new CellResult(CellResult.Status.OK, null, null);
        } catch (InterruptedException e) {
            return new CellResult(CellResult.Status.INTERRUPTED, null, null);
        } finally {
            running = null;
        }
    }

    private static byte[] png() {
        BufferedImage img = new BufferedImage(4, 3, BufferedImage.TYPE_INT_RGB);
        img.setRGB(1, 1, 0xff0000);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            ImageIO.write(img, "png", out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    @Override
    public void interrupt() {
        Thread t = running;
        if (t != null) t.interrupt();
    }

    @Override
    public Completion complete(String code, int cursor) {
        return new Completion(cursor, cursor, List.of());
    }

    @Override
    public Map<String, Object> inspect(String code, int cursor, int detailLevel) {
        return null;
    }

    @Override
    public String isComplete(String code) {
        return "complete";
    }

    @Override
    public void close() {
    }
}
