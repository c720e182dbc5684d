package org.datalayerlab.lab.migration;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.Histogram;
import org.datalayerlab.lab.measure.Marker;
import org.datalayerlab.lab.measure.Result;
import org.datalayerlab.lab.workload.RunningLoad;
import org.datalayerlab.lab.workload.Worker;
import org.datalayerlab.lab.workload.Workload;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.LongColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

/**
 * A workload whose operations are counted per phase of a run ("baseline", "ALTER waits",
 * "backfill" ...): wrap the workload, drive it, and call {@link #enter} as the run moves from
 * one phase to the next; the phase also becomes a marker on the run's timeline chart.
 *
 * <pre>{@code
 * Phases phases = Phases.of(workload, "baseline");
 * try (RunningLoad load = Driver.openLoop(phases, 200).duration(RUN).start()) {
 *     Thread.sleep(2000);
 *     phases.enter(load, "ALTER");
 *     ...
 *     Result run = load.await();
 *     display(phases.table(run));            // ops, errors, p50, p99, max per phase
 * }
 * }</pre>
 *
 * An operation belongs to the phase in which it <em>started</em>; its latency still counts from
 * when it was due (the open loop's intended start), so operations that could not start because
 * every driver thread was stuck show their wait in the phase where they finally ran.
 * (Per-phase latencies use the driver's per-kind results: the wrapped workload's own kinds are
 * replaced by the phase.)
 */
public final class Phases implements Workload {

    private final Workload workload;
    private final List<String> names = new ArrayList<>();
    private final Map<String, LongAdder> errors = new ConcurrentHashMap<>();
    private final Map<String, Double> startSeconds = new ConcurrentHashMap<>();
    private volatile String current;

    private Phases(Workload workload, String first) {
        this.workload = Objects.requireNonNull(workload, "workload");
        begin(first, 0);
    }

    /** Wraps {@code workload}; operations count in phase {@code first} until {@link #enter} is called. */
    public static Phases of(Workload workload, String first) {
        return new Phases(workload, first);
    }

    /** From now on operations count in {@code phase}; marks the moment on {@code load}'s timeline. */
    public synchronized Phases enter(RunningLoad load, String phase) {
        begin(phase, load.elapsedSeconds());
        load.mark(phase);
        return this;
    }

    private synchronized void begin(String phase, double atSeconds) {
        if (phase == null || phase.isBlank()) {
            throw new IllegalArgumentException("Phases: give each phase a name");
        }
        if (names.contains(phase)) {
            throw new IllegalArgumentException("Phases: there already is a phase named '" + phase + "'; give each phase its own name");
        }
        names.add(phase);
        errors.put(phase, new LongAdder());
        startSeconds.put(phase, atSeconds);
        current = phase;
    }

    /** The phases so far, in order. */
    public synchronized List<String> names() {
        return List.copyOf(names);
    }

    /** The phase operations count in now. */
    public String current() {
        return current;
    }

    @Override
    public String name() {
        return workload.name();
    }

    @Override
    public Worker newWorker(int thread, long seed) throws Exception {
        Worker inner = workload.newWorker(thread, seed);
        return new Worker() {
            @Override
            public String next() throws Exception {
                String phase = current;
                try {
                    inner.next();
                } catch (Exception e) {
                    errors.get(phase).increment();
                    throw e;
                }
                return phase;
            }

            @Override
            public void close() throws Exception {
                inner.close();
            }
        };
    }

    /** Operations of {@code run} that started in {@code phase} that failed. */
    public long errors(String phase) {
        LongAdder e = errors.get(phase);
        if (e == null) {
            throw new IllegalArgumentException("no phase named '" + phase + "'; the phases are " + names());
        }
        return e.sum();
    }

    /**
     * The operations of {@code run} that started in the given phases, as one result (label: the
     * phases joined with " + "); its errors are those the phases counted.
     */
    public Result of(Result run, String... phases) {
        if (phases.length == 0) {
            throw new IllegalArgumentException("Phases.of: name at least one phase; the phases are " + names());
        }
        Histogram latency = new Histogram(3);
        long ops = 0;
        long failed = 0;
        double seconds = 0;
        for (String phase : phases) {
            failed += errors(phase);
            seconds += seconds(run, phase);
            Result r = run.kinds().get(phase);
            if (r != null) {
                latency.add(r.histogram());
                ops += r.operations();
            }
        }
        return new Result(String.join(" + ", phases), run.mode(), ops, failed, null, seconds, latency, null, null, null,
                run.startEpochMillis());
    }

    /**
     * One row per phase: when it started and how long it lasted (seconds since the run started,
     * warm-up included), operations, errors, p50, p99 and max latency in ms.
     */
    public Table table(String name, Result run) {
        StringColumn phase = StringColumn.create("phase");
        DoubleColumn start = DoubleColumn.create("from (s)");
        DoubleColumn length = DoubleColumn.create("for (s)");
        LongColumn ops = LongColumn.create("ops");
        LongColumn failed = LongColumn.create("errors");
        DoubleColumn p50 = DoubleColumn.create("p50 (ms)");
        DoubleColumn p99 = DoubleColumn.create("p99 (ms)");
        DoubleColumn max = DoubleColumn.create("max (ms)");
        for (String p : names()) {
            Result r = of(run, p);
            phase.append(p);
            start.append(round(startSeconds.get(p), 2));
            length.append(round(r.seconds(), 2));
            ops.append(r.operations());
            failed.append(r.errors());
            p50.append(round(r.p50(), 2));
            p99.append(round(r.p99(), 2));
            max.append(round(r.max(), 2));
        }
        return Table.create(name, phase, start, length, ops, failed, p50, p99, max);
    }

    /** Length of a phase: until the next one started, the last one until the end of the run. */
    private double seconds(Result run, String phase) {
        List<String> all = names();
        int i = all.indexOf(phase);
        double from = startSeconds.get(phase);
        double to = i + 1 < all.size() ? startSeconds.get(all.get(i + 1)) : runEnd(run);
        return Math.max(0, to - from);
    }

    private static double runEnd(Result run) {
        return run.timeline().stream().mapToDouble(s -> s.startSeconds() + s.seconds()).max()
                .orElse(run.markers().stream().mapToDouble(Marker::atSeconds).max().orElse(0));
    }

    private static double round(double v, int decimals) {
        if (Double.isNaN(v)) {
            return v;
        }
        double scale = Math.pow(10, decimals);
        return Math.round(v * scale) / scale;
    }
}
