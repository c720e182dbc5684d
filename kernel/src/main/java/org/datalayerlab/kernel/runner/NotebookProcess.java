package org.datalayerlab.kernel.runner;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import org.datalayerlab.kernel.engine.CellEngine;
import org.datalayerlab.kernel.engine.CellEngine.CellResult;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The child JVM that executes ONE notebook, so that a notebook calling System.exit, leaking
 * threads or hanging cannot take the runner down. It writes the executed notebook after every
 * cell and reports progress as lines in a file the parent ({@link NotebookRunner}) watches:
 * {@code ready}, {@code start <cell>}, {@code end <cell> ok|error|stderr}, {@code done}.
 *
 * <p>Arguments: notebook, executed-copy path, progress file, cell timeout (s), engine class, and
 * optionally {@code keep-going}: run every cell even after one failed (grading scores each question on
 * its own, as nbgrader does); the exit code is then 1 if any cell failed.
 */
public final class NotebookProcess {

    /** Time a cell gets to stop after an interrupt before this JVM stops itself. */
    static final long INTERRUPT_GRACE_SECONDS = 15;
    static final String KEEP_GOING = "keep-going";

    private final Notebook notebook;
    private final Path output;
    private final Path progress;
    private final long timeoutSeconds;
    private final boolean keepGoing;
    private final OutputRecorder recorder = new OutputRecorder();
    private volatile int runningCell = -1;
    private volatile boolean exitingOnPurpose;

    private NotebookProcess(Notebook notebook, Path output, Path progress, long timeoutSeconds, boolean keepGoing) {
        this.notebook = notebook;
        this.output = output;
        this.progress = progress;
        this.timeoutSeconds = timeoutSeconds;
        this.keepGoing = keepGoing;
    }

    public static void main(String[] args) throws Exception {
        boolean keepGoing = args.length == 6 && args[5].equals(KEEP_GOING);
        if (args.length != 5 && !keepGoing) {
            System.err.println("usage: NotebookProcess NOTEBOOK OUTPUT PROGRESS TIMEOUT_SECONDS ENGINE_CLASS [keep-going]");
            System.exit(2);
        }
        Path source = Path.of(args[0]).toAbsolutePath();
        Notebook nb = Notebook.read(source);
        nb.clearOutputs();
        NotebookProcess run = new NotebookProcess(nb, Path.of(args[1]), Path.of(args[2]), Long.parseLong(args[3]),
                keepGoing);
        // the runner starts this JVM in the folder the notebook runs in (normally the notebook's own)
        int code = run.execute(args[4], Path.of("").toAbsolutePath());
        run.exit(code);
    }

    private int execute(String engineClass, Path workingDirectory) throws IOException {
        notebook.write(output);
        Runtime.getRuntime().addShutdownHook(new Thread(this::onUnexpectedExit, "notebook-exit-guard"));
        ExecutorService cellThread = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "notebook-cell");
            t.setDaemon(true); // a cell stuck in native code must not keep this JVM alive
            return t;
        });
        CellEngine engine = EngineFactory.create(engineClass, workingDirectory);
        report("ready");
        int executionCount = 0;
        boolean anyFailed = false;
        for (int i = 0; i < notebook.cellCount(); i++) {
            JsonObject cell = notebook.cell(i);
            if (!Notebook.isCode(cell)) continue;
            String code = Notebook.source(cell);
            JsonArray outputs = new JsonArray();
            cell.add("outputs", outputs);
            cell.addProperty("execution_count", ++executionCount);
            recorder.startCell(outputs);
            runningCell = i;
            report("start " + i);
            boolean ok = runCell(engine, cellThread, code, executionCount, i);
            runningCell = -1;
            notebook.write(output);
            if (!ok) {
                report("end " + i + " error");
                anyFailed = true;
                if (keepGoing) continue;
                closeQuietly(engine, cellThread);
                return 1;
            }
            report("end " + i + (recorder.wroteStderr() ? " stderr" : " ok"));
        }
        closeQuietly(engine, cellThread);
        report("done");
        return anyFailed ? 1 : 0;
    }

    /** Runs one cell with the timeout: interrupt first, then stop this JVM if the cell ignores it. */
    private boolean runCell(CellEngine engine, ExecutorService cellThread, String code, int count, int index)
            throws IOException {
        Future<CellResult> running = cellThread.submit(() -> engine.execute(code, recorder));
        CellResult result;
        boolean timedOut = false;
        try {
            result = running.get(timeoutSeconds, TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            timedOut = true;
            engine.interrupt();
            try {
                result = running.get(INTERRUPT_GRACE_SECONDS, TimeUnit.SECONDS);
            } catch (TimeoutException stillRunning) {
                recorder.error("CellTimeout", timeoutMessage() + " and did not stop within "
                        + INTERRUPT_GRACE_SECONDS + " s of an interrupt; the runner stopped it", List.of());
                notebook.write(output);
                report("end " + index + " error");
                exit(3);
                return false;
            } catch (InterruptedException | ExecutionException other) {
                result = null;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            result = null;
        } catch (ExecutionException e) {
            recordThrowable("the cell engine crashed", e.getCause());
            return false;
        }
        if (timedOut) {
            recorder.error("CellTimeout", timeoutMessage() + "; it was interrupted", List.of());
            return false;
        }
        if (result == null) {
            recorder.error("RunnerError", "the cell did not return a result", List.of());
            return false;
        }
        switch (result.status()) {
            case OK -> {
                if (result.executeResult() != null && !result.executeResult().isEmpty()) {
                    recorder.executeResult(result.executeResult(), count);
                }
                return true;
            }
            case INTERRUPTED -> {
                recorder.error("Interrupted", "the cell was interrupted", List.of());
                return false;
            }
            default -> {
                CellEngine.CellError err = result.error();
                if (err == null) recorder.error("Error", "the cell failed", List.of());
                else recorder.error(err.ename(), err.evalue(), err.traceback());
                return false;
            }
        }
    }

    private String timeoutMessage() {
        return "the cell ran longer than " + timeoutSeconds + " s (set LAB_CELL_TIMEOUT or --timeout to allow more)";
    }

    private void recordThrowable(String what, Throwable t) {
        StringWriter trace = new StringWriter();
        t.printStackTrace(new PrintWriter(trace));
        recorder.error(t.getClass().getSimpleName(), what + ": " + t.getMessage(), List.of(trace.toString().split("\n")));
    }

    /** A cell called System.exit (or the JVM was told to stop): keep what the cell printed and say why. */
    private void onUnexpectedExit() {
        int cell = runningCell;
        if (exitingOnPurpose || cell < 0) return;
        recorder.error("SystemExit", "the notebook's JVM was shut down while this cell ran"
                + " (System.exit in the cell, or a signal); later cells did not run", List.of());
        try {
            notebook.write(output);
            report("end " + cell + " exit");
        } catch (IOException ignored) {
            // nothing more to save; the parent reports the exit from the process status
        }
    }

    private void closeQuietly(CellEngine engine, ExecutorService cellThread) {
        // close() stops servers the cells started; bounded, as a misbehaving cell may block it
        Future<?> closing = cellThread.submit(engine::close);
        try {
            closing.get(60, TimeUnit.SECONDS);
        } catch (Exception ignored) {
            // leftovers are the library's to reap; the notebook itself passed
        }
    }

    private void exit(int code) {
        exitingOnPurpose = true;
        Thread halt = new Thread(() -> {
            try {
                Thread.sleep(30_000);
            } catch (InterruptedException ignored) {
                return;
            }
            Runtime.getRuntime().halt(code); // a shutdown hook hung: stop anyway
        }, "exit-watchdog");
        halt.setDaemon(true);
        halt.start();
        System.exit(code);
    }

    private void report(String line) throws IOException {
        Files.writeString(progress, line + "\n", StandardCharsets.UTF_8,
                StandardOpenOption.CREATE, StandardOpenOption.APPEND, StandardOpenOption.SYNC);
    }
}
