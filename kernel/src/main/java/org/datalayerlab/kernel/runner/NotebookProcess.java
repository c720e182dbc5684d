package org.datalayerlab.kernel.runner;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import org.datalayerlab.kernel.engine.CellEngine;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.concurrent.ExecutorService;

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

    static final long INTERRUPT_GRACE_SECONDS = CellRun.INTERRUPT_GRACE_SECONDS;
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
        ExecutorService cellThread = CellRun.cellThread();
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

    /** Runs one cell with the timeout; a cell that ignores the interrupt ends this JVM with code 3. */
    private boolean runCell(CellEngine engine, ExecutorService cellThread, String code, int count, int index)
            throws IOException {
        return CellRun.run(engine, cellThread, code, count, recorder, timeoutSeconds, () -> {
            notebook.write(output);
            report("end " + index + " error");
            exit(3);
        });
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
        CellRun.closeQuietly(engine, cellThread);
    }

    private void exit(int code) {
        exitingOnPurpose = true;
        CellRun.exit(code);
    }

    private void report(String line) throws IOException {
        Files.writeString(progress, line + "\n", StandardCharsets.UTF_8,
                StandardOpenOption.CREATE, StandardOpenOption.APPEND, StandardOpenOption.SYNC);
    }
}
