package org.datalayerlab.kernel.grading;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import org.datalayerlab.kernel.runner.CellProcess;
import org.datalayerlab.kernel.runner.Notebook;
import org.datalayerlab.kernel.runner.NotebookRunner;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Runs a prepared submission in a {@link CellProcess} and keeps the results on this side: the
 * grader sends the cells one by one (hidden tests reach the child only as the cell to run, never
 * as a file) and writes the executed notebook itself from the outputs that come back. When the
 * child ends early, the cell it was running is named with the reason, and the cells after it are
 * left unexecuted (they score 0 as "not run").
 */
final class GradingRun {

    /** How long the cell engine may take to start. */
    private static final long STARTUP_LIMIT_SECONDS = 180;
    /** Time a cell gets to stop after an interrupt (the child's own limit) plus margin, before the grader kills it. */
    private static final long BACKSTOP_SECONDS = 15 + 60;

    /** How the run ended: {@code problem} is empty when every cell ran. */
    record Outcome(Notebook executed, String problem, double seconds) {
    }

    private GradingRun() {
    }

    /**
     * @param javaCommand the child command up to the main class ({@link Sandbox#javaCommand})
     * @param log         the child's stderr (what cells printed between cells, JVM errors): for the instructor
     */
    static Outcome run(Notebook prepared, List<String> javaCommand, Map<String, String> environment, Path workDir,
                       long cellTimeoutSeconds, String engineClass, Path log) throws IOException {
        Notebook nb = prepared.copy();
        nb.clearOutputs();
        List<String> cmd = new ArrayList<>(javaCommand);
        cmd.add(CellProcess.class.getName());
        cmd.add(Long.toString(cellTimeoutSeconds));
        cmd.add(engineClass);
        Files.createDirectories(log.getParent());
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(workDir.toFile())
                .redirectError(ProcessBuilder.Redirect.to(log.toFile()));
        pb.environment().clear();
        pb.environment().putAll(environment);
        long startedAt = System.nanoTime();
        Process child = pb.start();
        BlockingQueue<JsonObject> events = new LinkedBlockingQueue<>();
        Thread reader = new Thread(() -> readEvents(child, events), "grading-results");
        reader.setDaemon(true);
        reader.start();
        String problem = "";
        try (OutputStream toChild = child.getOutputStream()) {
            PrintStream requests = new PrintStream(toChild, true, StandardCharsets.UTF_8);
            JsonObject first = next(events, child, STARTUP_LIMIT_SECONDS);
            if (first == null || !"ready".equals(first.get("event").getAsString())) {
                problem = "the cell engine did not start" + (child.isAlive() ? " within " + STARTUP_LIMIT_SECONDS + " s"
                        : " (exit code " + child.exitValue() + "): " + NotebookRunner.lastLines(log, 5));
            }
            int executionCount = 0;
            for (int i = 0; i < nb.cellCount() && problem.isEmpty(); i++) {
                JsonObject cell = nb.cell(i);
                if (!Notebook.isCode(cell)) continue;
                JsonObject request = new JsonObject();
                request.addProperty("cell", i);
                request.addProperty("code", Notebook.source(cell));
                requests.println(request);
                if (requests.checkError()) {
                    problem = endedBefore(child, nb, i);
                    break;
                }
                cell.addProperty("execution_count", ++executionCount);
                boolean[] started = {false};
                JsonObject result = awaitCell(events, child, i, cellTimeoutSeconds + BACKSTOP_SECONDS, started);
                if (result != null && result.has("outputs") && result.get("outputs").isJsonArray()) {
                    cell.add("outputs", result.getAsJsonArray("outputs"));
                }
                String status = result != null && result.has("status") ? result.get("status").getAsString() : "";
                if (result != null && "end".equals(result.get("event").getAsString()) && !status.equals("stuck")) continue;
                if (!started[0]) {
                    cell.add("execution_count", null);
                    problem = endedBefore(child, nb, i);
                    break;
                }
                problem = status.equals("stuck")
                        ? "cell " + (i + 1) + describe(cell) + " ran longer than " + cellTimeoutSeconds + " s and did"
                        + " not stop within 15 s of an interrupt (CellTimeout); its JVM was stopped; the cells after it"
                        + " did not run"
                        : stopped(child, result, nb, i, cellTimeoutSeconds);
                addError(cell, problem);
            }
        } catch (IOException closedEarly) {
            if (problem.isEmpty()) problem = "the notebook's JVM stopped reading cells: " + closedEarly.getMessage();
        } finally {
            try {
                if (!child.waitFor(90, TimeUnit.SECONDS)) child.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                child.destroyForcibly();
            }
        }
        return new Outcome(nb, problem, (System.nanoTime() - startedAt) / 1e9);
    }

    /** The "end" (or "exit") event of this cell; null if the child died or hung without one. */
    private static JsonObject awaitCell(BlockingQueue<JsonObject> events, Process child, int cell, long limitSeconds,
                                        boolean[] started) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(limitSeconds);
        while (System.nanoTime() < deadline) {
            JsonObject e = next(events, child, TimeUnit.NANOSECONDS.toSeconds(deadline - System.nanoTime()) + 1);
            if (e == null) return null;
            if (!e.has("cell") || !e.get("cell").isJsonPrimitive() || e.get("cell").getAsInt() != cell) continue;
            if ("start".equals(e.get("event").getAsString())) {
                started[0] = true;
                continue;
            }
            return e;
        }
        return null;
    }

    /** The next event, or null when the child exited (and all it sent was read) or the time is up. */
    private static JsonObject next(BlockingQueue<JsonObject> events, Process child, long limitSeconds) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(limitSeconds);
        try {
            while (System.nanoTime() < deadline) {
                JsonObject e = events.poll(100, TimeUnit.MILLISECONDS);
                if (e != null) {
                    if (e.has("eof")) return null;
                    return e;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return null;
    }

    private static void readEvents(Process child, BlockingQueue<JsonObject> events) {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line; (line = in.readLine()) != null; ) {
                try {
                    JsonElement e = JsonParser.parseString(line);
                    if (e.isJsonObject() && e.getAsJsonObject().has("event")) events.add(e.getAsJsonObject());
                } catch (RuntimeException notOurs) {
                    // a line the cell engine did not send: ignore it
                }
            }
        } catch (IOException ignored) {
            // the child is gone
        }
        JsonObject eof = new JsonObject();
        eof.addProperty("eof", true);
        events.add(eof);
    }

    /** Why the cell did not end normally; kills the child if it is still there. */
    private static String stopped(Process child, JsonObject result, Notebook nb, int cell, long timeout) {
        String where = "cell " + (cell + 1) + describe(nb.cell(cell));
        if (child.isAlive()) {
            try {
                if (child.waitFor(5, TimeUnit.SECONDS)) return exited(child, result, where);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            child.destroyForcibly();
            return where + " ran longer than " + timeout + " s and its JVM did not respond to the interrupt;"
                    + " the grader stopped it; the cells after it did not run";
        }
        return exited(child, result, where);
    }

    private static String exited(Process child, JsonObject result, String where) {
        int code = child.exitValue();
        String how = result != null && "exit".equals(result.get("event").getAsString())
                ? "System.exit(" + code + ")" : "halt or crash, exit code " + code;
        return "the notebook's JVM ended while " + where + " ran (" + how + "); the cells after it did not run";
    }

    private static String endedBefore(Process child, Notebook nb, int cell) {
        String code = child.isAlive() ? "" : " (exit code " + child.exitValue() + ")";
        return "the notebook's JVM ended" + code + " after the cell before cell " + (cell + 1) + describe(nb.cell(cell))
                + " had ended (a thread it started, or a shutdown hook); the cells from there on did not run";
    }

    private static String describe(JsonObject cell) {
        String id = NbgraderCell.gradeId(cell);
        return id == null ? "" : " (" + id + ")";
    }

    private static void addError(JsonObject cell, String reason) {
        JsonElement outputs = cell.get("outputs");
        if (outputs != null && outputs.isJsonArray()) {
            for (JsonElement o : outputs.getAsJsonArray()) {
                if ("error".equals(Notebook.stringOr(o.getAsJsonObject(), "output_type", ""))) return;
            }
        }
        NotebookRunner.addRunnerError(cell, reason);
    }
}
