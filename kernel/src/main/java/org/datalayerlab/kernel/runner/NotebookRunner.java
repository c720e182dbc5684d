package org.datalayerlab.kernel.runner;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs notebooks headless, each in a fresh child JVM ({@link NotebookProcess}), and writes the
 * executed copies, one HTML page each and an index page into the output folder.
 */
public final class NotebookRunner {

    /** How long the engine may take to start before the first cell. */
    private static final long STARTUP_LIMIT_SECONDS = 180;
    private static final long POLL_MILLIS = 100;

    private final Path outputDir;
    private final long cellTimeoutSeconds;
    private final String engineClass;
    private final List<String> javaCommand;
    private final PrintStream out;
    private final java.util.Map<String, String> childEnvironment;
    private volatile Process current;
    private boolean keepGoing;

    /**
     * @param javaCommand the child JVM command up to (not including) the main class:
     *                    java, options, -cp classpath
     * @param childEnvironment variables set for the notebooks on top of this process's environment
     */
    public NotebookRunner(Path outputDir, long cellTimeoutSeconds, String engineClass, List<String> javaCommand,
                          java.util.Map<String, String> childEnvironment, PrintStream out) {
        this.outputDir = outputDir.toAbsolutePath();
        this.cellTimeoutSeconds = cellTimeoutSeconds;
        this.engineClass = engineClass;
        this.javaCommand = List.copyOf(javaCommand);
        this.out = out;
        this.childEnvironment = java.util.Map.copyOf(childEnvironment);
        Runtime.getRuntime().addShutdownHook(new Thread(this::stopCurrent, "runner-stop-child"));
    }

    /**
     * Runs every cell even after one fails, instead of stopping at the first failure: grading
     * scores each question on its own. A cell that ignores the timeout's interrupt still ends the
     * run (its JVM is stopped), so later cells stay unexecuted. Returns this runner.
     */
    public NotebookRunner keepGoingAfterErrors() {
        this.keepGoing = true;
        return this;
    }

    /** The child command for this JVM's own java binary and classpath. */
    public static List<String> sameJvmCommand() {
        String java = ProcessHandle.current().info().command().orElse(
                Path.of(System.getProperty("java.home"), "bin", "java").toString());
        List<String> cmd = new ArrayList<>();
        cmd.add(java);
        cmd.add("-Djava.awt.headless=true");
        // The JVM's normal JIT, as the installed kernel uses, so a notebook measures the same headless
        // as in JupyterLab; LAB_JAVA_OPTS adds flags (e.g. -XX:TieredStopAtLevel=1 for C1 only).
        String opts = System.getenv("LAB_JAVA_OPTS");
        if (opts != null && !opts.isBlank()) {
            cmd.addAll(List.of(opts.trim().split("\\s+")));
        }
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        return cmd;
    }

    /** Runs every notebook in order, prints one line each, writes the HTML; returns the results. */
    public List<RunResult> runAll(List<Path> notebooks) throws IOException {
        Files.createDirectories(outputDir);
        List<RunResult> results = new ArrayList<>();
        for (Path nb : notebooks) {
            RunResult r = run(nb);
            out.println(r.line());
            out.flush();
            results.add(r);
            HtmlReport.writePage(r.executed(), outputDir.resolve(htmlName(r.name())));
        }
        HtmlReport.writeIndex(outputDir, results);
        return results;
    }

    static String htmlName(String notebookName) {
        return notebookName.replaceAll("\\.ipynb$", "") + ".html";
    }

    /** Runs one notebook in a child JVM, in the notebook's own folder, and tells how it ended. */
    public RunResult run(Path notebook) throws IOException {
        return run(notebook, notebook.toAbsolutePath().normalize().getParent());
    }

    /**
     * Runs one notebook in a child JVM whose working folder is {@code workingDirectory} (relative
     * paths in cells, such as {@code %jars ../library/target/lib/*.jar}, resolve there).
     */
    public RunResult run(Path notebook, Path workingDirectory) throws IOException {
        Path source = notebook.toAbsolutePath().normalize();
        String name = source.getFileName().toString();
        Notebook original = Notebook.read(source); // bad input fails here, with a clear message
        int codeCells = (int) original.codeCellCount();
        Path executed = outputDir.resolve(name);
        Path work = Files.createDirectories(outputDir.resolve(".work"));
        Path progressFile = work.resolve(name + ".progress");
        Path log = work.resolve(name + ".log");
        Files.deleteIfExists(progressFile);
        Files.deleteIfExists(executed);

        List<String> cmd = new ArrayList<>(javaCommand);
        cmd.add(NotebookProcess.class.getName());
        cmd.addAll(List.of(source.toString(), executed.toString(), progressFile.toString(),
                Long.toString(cellTimeoutSeconds), engineClass));
        if (keepGoing) cmd.add(NotebookProcess.KEEP_GOING);
        ProcessBuilder pb = new ProcessBuilder(cmd)
                .directory(workingDirectory.toFile())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(nullDevice()));
        pb.environment().putAll(childEnvironment);
        pb.environment().put("LAB_NOTEBOOK", name);

        long started = System.nanoTime();
        Process child = pb.start();
        current = child;
        Progress progress = watch(child, progressFile);
        current = null;
        double seconds = (System.nanoTime() - started) / 1e9;

        if (!Files.exists(executed)) original.clearOutputs();
        Notebook result = Files.exists(executed) ? Notebook.read(executed) : original;
        if (progress.done && child.exitValue() == 0) {
            return new RunResult(name, executed, seconds, progress.cellsRun, codeCells, true, 0, "", progress.stderrCells);
        }
        // a keep-going run went past failures: name the first failed cell, unless the runner killed the JVM
        int failedAt = progress.killedReason == null && progress.firstFailedCell >= 0
                ? progress.firstFailedCell : progress.lastCell;
        String reason = progress.killedReason;
        if (reason == null) reason = errorOf(result, failedAt);
        if (reason == null) {
            reason = progress.ready
                    ? "the notebook's JVM exited with code " + child.exitValue() + " (System.exit or a crash); see " + log
                    : "the cell engine did not start (exit code " + child.exitValue() + "): " + lastLines(log, 5);
        }
        if (progress.killedReason != null || errorOf(result, failedAt) == null) {
            addError(result, failedAt, reason); // keep the reason in the executed copy too
        }
        result.write(executed);
        int failedCell = failedAt < 0 ? 0 : failedAt + 1;
        return new RunResult(name, executed, seconds, progress.cellsRun, codeCells, false, failedCell,
                reason, progress.stderrCells);
    }

    /** What the child reported, read from its progress file as it goes. */
    private static final class Progress {
        boolean ready;
        boolean done;
        int lastCell = -1;
        int firstFailedCell = -1;
        int cellsRun;
        int stderrCells;
        String killedReason;
        long phaseStarted = System.nanoTime();
    }

    private Progress watch(Process child, Path progressFile) throws IOException {
        Progress p = new Progress();
        int linesSeen = 0;
        boolean cellRunning = false;
        while (true) {
            boolean exited;
            try {
                exited = child.waitFor(POLL_MILLIS, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                stop(child);
                throw new IOException("interrupted while running a notebook");
            }
            List<String> lines = Files.exists(progressFile)
                    ? Files.readAllLines(progressFile, StandardCharsets.UTF_8) : List.of();
            for (; linesSeen < lines.size(); linesSeen++) {
                String[] parts = lines.get(linesSeen).split(" ");
                switch (parts[0]) {
                    case "ready" -> p.ready = true;
                    case "start" -> {
                        p.lastCell = Integer.parseInt(parts[1]);
                        p.cellsRun++;
                        p.phaseStarted = System.nanoTime();
                        cellRunning = true;
                    }
                    case "end" -> {
                        cellRunning = false;
                        if (parts.length > 2 && parts[2].equals("stderr")) p.stderrCells++;
                        if (parts.length > 2 && parts[2].equals("error") && p.firstFailedCell < 0) {
                            p.firstFailedCell = Integer.parseInt(parts[1]);
                        }
                    }
                    case "done" -> p.done = true;
                    default -> { }
                }
            }
            if (exited) return p;
            // Backstop: the child interrupts a slow cell itself and stops if that fails; this only
            // fires when the whole child JVM is stuck (native code, a blocked shutdown)
            long elapsed = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - p.phaseStarted);
            long limit = !p.ready ? STARTUP_LIMIT_SECONDS
                    : cellRunning ? cellTimeoutSeconds + NotebookProcess.INTERRUPT_GRACE_SECONDS + 60
                    : 120; // between cells or closing
            if (elapsed > limit) {
                p.killedReason = !p.ready ? "the cell engine did not start within " + limit + " s"
                        : cellRunning ? "the cell ran longer than " + cellTimeoutSeconds
                        + " s and its JVM did not respond to the interrupt; the runner killed it"
                        : "the notebook's JVM hung after a cell (" + limit + " s); the runner killed it";
                stop(child);
                return p;
            }
        }
    }

    private static void stop(Process child) {
        child.descendants().forEach(ProcessHandle::destroyForcibly);
        child.destroyForcibly();
        try {
            child.waitFor(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** On Ctrl-C of the runner: let the child's shutdown hooks stop its servers, then make sure. */
    private void stopCurrent() {
        Process child = current;
        if (child == null || !child.isAlive()) return;
        child.destroy();
        try {
            if (!child.waitFor(20, TimeUnit.SECONDS)) stop(child);
        } catch (InterruptedException ignored) {
            stop(child);
        }
    }

    /** The error output the failing cell recorded, as one line, or null. */
    static String errorOf(Notebook nb, int cellIndex) {
        if (cellIndex < 0 || cellIndex >= nb.cellCount()) return null;
        JsonElement outputs = nb.cell(cellIndex).get("outputs");
        if (outputs == null || !outputs.isJsonArray()) return null;
        for (JsonElement o : outputs.getAsJsonArray()) {
            JsonObject output = o.getAsJsonObject();
            if ("error".equals(Notebook.stringOr(output, "output_type", ""))) {
                String line = Notebook.stringOr(output, "ename", "Error") + ": " + Notebook.stringOr(output, "evalue", "");
                return line.replaceAll("\u001B\\[[;\\d]*m", "").replaceAll("\\s*\n\\s*", " | ").trim();
            }
        }
        return null;
    }

    /** The traceback of the failing cell (ANSI colours removed), for the console. */
    public static List<String> tracebackOf(Path executed, int failedCell) {
        try {
            Notebook nb = Notebook.read(executed);
            if (failedCell < 1 || failedCell > nb.cellCount()) return List.of();
            JsonElement outputs = nb.cell(failedCell - 1).get("outputs");
            List<String> lines = new ArrayList<>();
            if (outputs == null) return lines;
            for (JsonElement o : outputs.getAsJsonArray()) {
                JsonObject output = o.getAsJsonObject();
                if (output.has("traceback")) {
                    for (JsonElement t : output.getAsJsonArray("traceback")) {
                        for (String l : t.getAsString().split("\n")) lines.add(l.replaceAll("\u001B\\[[;\\d]*m", ""));
                    }
                }
            }
            return lines;
        } catch (IOException | RuntimeException e) {
            return List.of();
        }
    }

    private static void addError(Notebook nb, int cellIndex, String reason) {
        if (cellIndex < 0 || cellIndex >= nb.cellCount()) return;
        addRunnerError(nb.cell(cellIndex), reason);
    }

    /** Adds a "RunnerError" output (the run ended in this cell, for this reason) to a cell. */
    public static void addRunnerError(JsonObject cell, String reason) {
        JsonArray outputs = cell.has("outputs") ? cell.getAsJsonArray("outputs") : new JsonArray();
        JsonObject error = new JsonObject();
        error.addProperty("output_type", "error");
        error.addProperty("ename", "RunnerError");
        error.addProperty("evalue", reason);
        error.add("traceback", new JsonArray());
        outputs.add(error);
        cell.add("outputs", outputs);
    }

    /** The last n lines of a log file, joined with " | ", for a one-line message. */
    public static String lastLines(Path log, int n) {
        try {
            List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
            return String.join(" | ", lines.subList(Math.max(0, lines.size() - n), lines.size()));
        } catch (IOException e) {
            return "(no log)";
        }
    }

    private static java.io.File nullDevice() {
        return new java.io.File(System.getProperty("os.name").startsWith("Windows") ? "NUL" : "/dev/null");
    }
}
