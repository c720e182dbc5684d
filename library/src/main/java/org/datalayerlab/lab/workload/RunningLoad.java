package org.datalayerlab.lab.workload;

import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;
import org.datalayerlab.lab.measure.Interval;
import org.datalayerlab.lab.measure.LiveLine;
import org.datalayerlab.lab.measure.Marker;
import org.datalayerlab.lab.measure.Result;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;

/**
 * A run going on in the background (from {@link Driver#start()}): {@link #mark} moments,
 * then {@link #await()} the result or {@link #stop()} early. Closing stops it.
 */
public final class RunningLoad implements AutoCloseable {

    private static final long NO_END = Long.MAX_VALUE;

    private final Workload workload;
    private final String label;
    private final String mode;
    private final int threadCount;
    private final long startNanos;
    private final long startEpochMillis;
    private final long measureStartNanos;
    private final long endNanos;
    private final double periodNanos;       // open loop only
    private final long firstMeasuredIndex;  // open loop only
    private final long lastIndex;           // open loop only, exclusive
    private final AtomicLong remainingOps;  // closed loop only
    private final AtomicLong nextIndex = new AtomicLong();
    private final AtomicBoolean stopping = new AtomicBoolean();
    private final AtomicReference<String> firstError = new AtomicReference<>();
    private final List<Thread> threads = new ArrayList<>();
    private final List<ThreadStats> stats = new ArrayList<>();
    private final List<Marker> markers = new ArrayList<>();

    private final Recorder sliceRecorder = new Recorder(3);
    private final AtomicLong sliceErrors = new AtomicLong();
    private final List<Interval> timeline = new ArrayList<>();
    private final ScheduledExecutorService slicer;
    private long sliceStartNanos;
    private Histogram recycled;
    private Result result;
    private LiveLine progress;       // shown once a run has lasted PROGRESS_AFTER_NANOS
    private long progressShownNanos;
    private long operationsSoFar;
    private long errorsSoFar;

    /** A run longer than this shows a progress line in JupyterLab, updated at most twice a second. */
    static final long PROGRESS_AFTER_NANOS = 2_000_000_000L;
    private static final long PROGRESS_EVERY_NANOS = 500_000_000L;

    RunningLoad(Workload workload, String label, String mode, double opsPerSecond, int threadCount,
                Duration duration, long operations, Duration warmup, Duration interval, long seed) {
        this.workload = workload;
        this.label = label;
        this.mode = mode;
        this.threadCount = threadCount;
        this.startEpochMillis = System.currentTimeMillis();
        this.startNanos = System.nanoTime();
        this.measureStartNanos = startNanos + warmup.toNanos();
        this.endNanos = duration == null ? NO_END : measureStartNanos + duration.toNanos();
        this.sliceStartNanos = startNanos;
        if (opsPerSecond > 0) {
            periodNanos = 1e9 / opsPerSecond;
            firstMeasuredIndex = (long) Math.ceil(warmup.toNanos() / periodNanos);
            lastIndex = operations < 0 ? Long.MAX_VALUE : firstMeasuredIndex + operations;
            remainingOps = null;
        } else {
            periodNanos = 0;
            firstMeasuredIndex = 0;
            lastIndex = 0;
            remainingOps = new AtomicLong(operations < 0 ? Long.MAX_VALUE : operations);
        }

        slicer = Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "lab-driver-timeline"));
        slicer.scheduleAtFixedRate(this::closeSlice, interval.toNanos(), interval.toNanos(), TimeUnit.NANOSECONDS);

        SplittableRandom seeds = new SplittableRandom(seed);
        for (int i = 0; i < threadCount; i++) {
            ThreadStats s = new ThreadStats();
            stats.add(s);
            int index = i;
            long threadSeed = seeds.nextLong();
            Runnable body = opsPerSecond > 0 ? () -> openLoop(index, threadSeed, s) : () -> closedLoop(index, threadSeed, s);
            threads.add(daemon(body, "lab-driver-" + i));
        }
        threads.forEach(Thread::start);
    }

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }

    /** Seconds since the run started (warm-up included). */
    public double elapsedSeconds() {
        return (System.nanoTime() - startNanos) / 1e9;
    }

    /** Marks this moment in the run's timeline (shown on timeline charts). */
    public RunningLoad mark(String what) {
        synchronized (markers) {
            markers.add(new Marker(elapsedSeconds(), what));
        }
        return this;
    }

    /**
     * Waits for the run to end by its duration or operation count, and returns the result. An
     * interrupt (a notebook's stop button) stops the run early: the operations in progress
     * finish, and the result is merged only once every worker has stopped writing to it. The
     * interrupt flag stays set for the caller.
     */
    public Result await() {
        boolean interrupted = false;
        for (Thread t : threads) {
            while (t.isAlive()) {
                try {
                    t.join();
                } catch (InterruptedException e) {
                    stopping.set(true);
                    interrupted = true;
                }
            }
        }
        try {
            return finish();
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Stops now (operations in progress finish) and returns the result so far. */
    public Result stop() {
        stopping.set(true);
        return await();
    }

    @Override
    public void close() {
        stop();
    }

    // ---- the loops ----

    private void closedLoop(int index, long seed, ThreadStats s) {
        Worker worker = newWorker(index, seed, s);
        if (worker == null) {
            return;
        }
        try (worker) {
            while (!stopping.get()) {
                long start = System.nanoTime();
                if (start >= endNanos) {
                    break;
                }
                boolean measured = start >= measureStartNanos;
                if (measured && remainingOps.decrementAndGet() < 0) {
                    break;
                }
                runOne(worker, start, start, measured, s);
            }
        } catch (Exception closeFailed) {
            // the worker could not close its resources; nothing to measure there
        }
    }

    private void openLoop(int index, long seed, ThreadStats s) {
        Worker worker = newWorker(index, seed, s);
        if (worker == null) {
            return;
        }
        try (worker) {
            while (!stopping.get()) {
                long i = nextIndex.getAndIncrement();
                if (i >= lastIndex) {
                    break;
                }
                long intended = startNanos + (long) (i * periodNanos);
                if (intended >= endNanos) {
                    break;
                }
                boolean measured = i >= firstMeasuredIndex;
                if (endNanos != NO_END && System.nanoTime() >= endNanos) {
                    // The run is over but this operation was due before the end: the server fell behind.
                    if (measured) {
                        s.errors++;
                        sliceErrors.incrementAndGet();
                        firstError.compareAndSet(null, "scheduled operations never started before the end of the run: "
                                + "the system fell behind the target rate (add threads or lower the rate)");
                    }
                    continue;
                }
                if (!sleepUntil(intended)) {
                    break;
                }
                runOne(worker, intended, System.nanoTime(), measured, s);
            }
        } catch (Exception closeFailed) {
            // the worker could not close its resources; nothing to measure there
        }
    }

    private Worker newWorker(int index, long seed, ThreadStats s) {
        try {
            return workload.newWorker(index, seed);
        } catch (Exception e) {
            s.errors++;
            firstError.compareAndSet(null, "could not start worker " + index + ": " + describe(e));
            return null;
        }
    }

    /** Runs one operation; latency counts from {@code latencyFrom} (the intended start in an open loop). */
    private void runOne(Worker worker, long latencyFrom, long start, boolean measured, ThreadStats s) {
        String kind;
        try {
            kind = worker.next();
        } catch (Exception e) {
            sliceErrors.incrementAndGet();
            if (measured) {
                s.errors++;
                firstError.compareAndSet(null, describe(e));
            }
            return;
        }
        long end = System.nanoTime();
        long latency = Math.max(1, end - latencyFrom);
        sliceRecorder.recordValue(latency);
        if (measured) {
            s.record(kind, latency, end);
        }
    }

    private boolean sleepUntil(long dueNanos) {
        long remaining;
        while ((remaining = dueNanos - System.nanoTime()) > 0) {
            if (stopping.get()) {
                return false;
            }
            LockSupport.parkNanos(Math.min(remaining, 50_000_000L));
        }
        return true;
    }

    private static String describe(Exception e) {
        String message = e.getMessage();
        return e.getClass().getSimpleName() + (message == null ? "" : ": " + message);
    }

    // ---- timeline and result ----

    private synchronized void closeSlice() {
        long now = System.nanoTime();
        recycled = sliceRecorder.getIntervalHistogram(recycled);
        Histogram h = recycled;
        long count = h.getTotalCount();
        timeline.add(new Interval((sliceStartNanos - startNanos) / 1e9, (now - sliceStartNanos) / 1e9, count,
                sliceErrors.getAndSet(0),
                count == 0 ? Double.NaN : h.getValueAtPercentile(50) / 1e6,
                count == 0 ? Double.NaN : h.getValueAtPercentile(99) / 1e6,
                count == 0 ? Double.NaN : h.getMaxValue() / 1e6));
        sliceStartNanos = now;
        operationsSoFar += count;
        errorsSoFar += timeline.get(timeline.size() - 1).errors();
        if (now - startNanos >= PROGRESS_AFTER_NANOS && now - progressShownNanos >= PROGRESS_EVERY_NANOS) {
            String text = progressText("running");
            if (progress == null) {
                progress = LiveLine.show(text);
            } else {
                progress.update(text);
            }
            progressShownNanos = now;
        }
    }

    private String progressText(String state) {
        return String.format("%s (%s): %s, %.1f s, %,d operations, %,d errors", label, mode, state,
                elapsedSeconds(), operationsSoFar, errorsSoFar);
    }

    private synchronized Result finish() {
        if (result != null) {
            return result;
        }
        slicer.shutdownNow();
        closeSlice();
        if (progress != null) {
            progress.update(progressText(stopping.get() ? "stopped" : "done"));
        }
        long stopNanos = System.nanoTime();

        Histogram total = new Histogram(3);
        Map<String, Histogram> kindHistograms = new TreeMap<>();
        long ops = 0;
        long errors = 0;
        long lastCompletion = 0;
        for (ThreadStats s : stats) {
            total.add(s.latency);
            ops += s.operations;
            errors += s.errors;
            lastCompletion = Math.max(lastCompletion, s.lastCompletionNanos);
            s.kinds.forEach((kind, h) -> kindHistograms.computeIfAbsent(kind, k -> new Histogram(3)).add(h));
        }
        long windowEnd = endNanos != NO_END && !stopping.get() ? Math.max(endNanos, lastCompletion)
                : (lastCompletion > 0 ? lastCompletion : stopNanos);
        double seconds = Math.max(0, (windowEnd - measureStartNanos) / 1e9);

        Map<String, Result> kinds = new LinkedHashMap<>();
        kindHistograms.forEach((kind, h) -> kinds.put(kind, new Result(kind, mode, h.getTotalCount(), 0, null, seconds,
                h, null, null, null, startEpochMillis)));
        List<Marker> marks;
        synchronized (markers) {
            marks = List.copyOf(markers);
        }
        result = new Result(label, mode, ops, errors, firstError.get(), seconds, total, kinds, timeline, marks,
                startEpochMillis);
        return result;
    }

    /** Counters of one driver thread, merged at the end (no sharing while the run goes on). */
    private static final class ThreadStats {
        final Histogram latency = new Histogram(3);
        final Map<String, Histogram> kinds = new HashMap<>();
        long operations;
        long errors;
        long lastCompletionNanos;

        void record(String kind, long latencyNanos, long completedNanos) {
            latency.recordValue(latencyNanos);
            operations++;
            lastCompletionNanos = completedNanos;
            if (kind != null) {
                kinds.computeIfAbsent(kind, k -> new Histogram(3)).recordValue(latencyNanos);
            }
        }
    }
}
