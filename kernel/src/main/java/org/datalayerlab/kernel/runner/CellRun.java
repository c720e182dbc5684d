package org.datalayerlab.kernel.runner;

import org.datalayerlab.kernel.engine.CellEngine;
import org.datalayerlab.kernel.engine.CellEngine.CellResult;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * One cell run with a timeout, its outputs and error recorded as nbformat outputs: shared by the
 * child JVMs of {@code lab run} ({@link NotebookProcess}) and {@code lab grade} ({@link CellProcess}).
 */
final class CellRun {

    /** Time a cell gets to stop after an interrupt before its JVM stops itself. */
    static final long INTERRUPT_GRACE_SECONDS = 15;

    /** What to do when a cell ignores the interrupt: save what there is, then end the JVM. */
    interface Stuck {
        void stop() throws IOException;
    }

    private CellRun() {
    }

    /** Runs the cell; true if it passed. A timed-out cell is interrupted; if it ignores that, {@code stuck} runs. */
    static boolean run(CellEngine engine, ExecutorService cellThread, String code, int count, OutputRecorder recorder,
                       long timeoutSeconds, Stuck stuck) throws IOException {
        Future<CellResult> running = cellThread.submit(() -> engine.execute(code, recorder));
        CellResult result;
        boolean timedOut = false;
        String timeoutMessage = "the cell ran longer than " + timeoutSeconds
                + " s (set LAB_CELL_TIMEOUT or --timeout to allow more)";
        try {
            result = running.get(timeoutSeconds, TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            timedOut = true;
            engine.interrupt();
            try {
                result = running.get(INTERRUPT_GRACE_SECONDS, TimeUnit.SECONDS);
            } catch (TimeoutException stillRunning) {
                recorder.error("CellTimeout", timeoutMessage + " and did not stop within "
                        + INTERRUPT_GRACE_SECONDS + " s of an interrupt; the runner stopped it", List.of());
                stuck.stop();
                return false;
            } catch (InterruptedException | ExecutionException other) {
                result = null;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            result = null;
        } catch (ExecutionException e) {
            StringWriter trace = new StringWriter();
            e.getCause().printStackTrace(new PrintWriter(trace));
            recorder.error(e.getCause().getClass().getSimpleName(), "the cell engine crashed: " + e.getCause().getMessage(),
                    List.of(trace.toString().split("\n")));
            return false;
        }
        if (timedOut) {
            recorder.error("CellTimeout", timeoutMessage + "; it was interrupted", List.of());
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

    /** Stops the engine (and the servers its cells started), bounded: a misbehaving cell may block it. */
    static void closeQuietly(CellEngine engine, ExecutorService cellThread) {
        Future<?> closing = cellThread.submit(engine::close);
        try {
            closing.get(60, TimeUnit.SECONDS);
        } catch (Exception ignored) {
            // leftovers are the library's to reap (and, when grading, the grader's)
        }
    }

    /** System.exit with a watchdog: if a shutdown hook hangs, halt after 30 s. */
    static void exit(int code) {
        Thread halt = new Thread(() -> {
            try {
                Thread.sleep(30_000);
            } catch (InterruptedException ignored) {
                return;
            }
            Runtime.getRuntime().halt(code);
        }, "exit-watchdog");
        halt.setDaemon(true);
        halt.start();
        System.exit(code);
    }

    /** The single daemon thread cells run on (a cell stuck in native code must not keep the JVM alive). */
    static ExecutorService cellThread() {
        return java.util.concurrent.Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "notebook-cell");
            t.setDaemon(true);
            return t;
        });
    }
}
