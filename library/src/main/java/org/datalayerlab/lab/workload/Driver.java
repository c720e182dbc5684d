package org.datalayerlab.lab.workload;

import org.datalayerlab.lab.measure.Result;

import java.time.Duration;
import java.util.Objects;

/**
 * Runs a {@link Workload} and measures it.
 *
 * <ul>
 *   <li>{@link #closedLoop}: N threads, each starts its next operation as soon as the last one
 *       finished (throughput follows the server).</li>
 *   <li>{@link #openLoop}: operations are scheduled at a fixed rate whatever the server does;
 *       latency counts from each operation's intended start, so a stall shows up in the
 *       percentiles instead of being hidden (no coordinated omission).</li>
 * </ul>
 *
 * <pre>{@code
 * Result r = Driver.closedLoop(ycsb.workload(Ycsb.Mix.A)).threads(4)
 *         .warmup(Duration.ofSeconds(1)).duration(Duration.ofSeconds(5)).run();
 * }</pre>
 *
 * Latencies go into HdrHistograms (3 significant digits); warm-up is excluded from the result
 * but kept in its timeline. Every random choice is seeded ({@link #seed}, default 42).
 */
public final class Driver {

    private final Workload workload;
    private final double opsPerSecond; // 0 for a closed loop
    private int threads;
    private Duration duration;
    private long operations = -1;
    private Duration warmup = Duration.ZERO;
    private Duration interval = Duration.ofMillis(100);
    private long seed = 42;
    private String label;

    private Driver(Workload workload, double opsPerSecond, int threads) {
        this.workload = Objects.requireNonNull(workload, "workload is null");
        this.opsPerSecond = opsPerSecond;
        this.threads = threads;
    }

    /** A closed loop: {@link #threads} threads (default 1) back to back. */
    public static Driver closedLoop(Workload workload) {
        return new Driver(workload, 0, 1);
    }

    /** An open loop at {@code opsPerSecond}, spread over {@link #threads} threads (default 8). */
    public static Driver openLoop(Workload workload, double opsPerSecond) {
        if (!(opsPerSecond > 0) || Double.isInfinite(opsPerSecond)) {
            throw new IllegalArgumentException("the target rate must be a positive number of operations per second, got " + opsPerSecond);
        }
        return new Driver(workload, opsPerSecond, 8);
    }

    /**
     * Threads (each with its own worker and connection). For an open loop, enough to cover
     * rate x latency, or operations queue up (which the latencies then show).
     */
    public Driver threads(int threads) {
        if (threads < 1 || threads > 1024) {
            throw new IllegalArgumentException("threads must be between 1 and 1024, got " + threads);
        }
        this.threads = threads;
        return this;
    }

    /** How long to measure (after the warm-up). */
    public Driver duration(Duration duration) {
        if (duration == null || duration.isNegative() || duration.isZero()) {
            throw new IllegalArgumentException("duration must be positive, got " + duration);
        }
        this.duration = duration;
        return this;
    }

    /** How many operations to measure (after the warm-up); with a duration too, whichever comes first. */
    public Driver operations(long operations) {
        if (operations < 1) {
            throw new IllegalArgumentException("operations must be at least 1, got " + operations);
        }
        this.operations = operations;
        return this;
    }

    /** Run this long first without measuring (caches, JIT, connections). Default none. */
    public Driver warmup(Duration warmup) {
        if (warmup == null || warmup.isNegative()) {
            throw new IllegalArgumentException("warm-up must be zero or positive, got " + warmup);
        }
        this.warmup = warmup;
        return this;
    }

    /** Width of a timeline slice (default 100 ms). */
    public Driver interval(Duration interval) {
        if (interval == null || interval.toMillis() < 1) {
            throw new IllegalArgumentException("interval must be at least 1 ms, got " + interval);
        }
        this.interval = interval;
        return this;
    }

    /** Seed for every random choice of the workers (default 42). */
    public Driver seed(long seed) {
        this.seed = seed;
        return this;
    }

    /** Label of the result (default: the workload's name). */
    public Driver label(String label) {
        this.label = label;
        return this;
    }

    /** Runs to the end and returns the result. */
    public Result run() {
        try (RunningLoad load = start()) {
            return load.await();
        }
    }

    /** Starts in the background: mark moments, change things, then {@link RunningLoad#await()}. */
    public RunningLoad start() {
        if (duration == null && operations < 0) {
            throw new IllegalStateException("say how long to run: call duration(...) or operations(...) before run()");
        }
        String mode = opsPerSecond > 0
                ? String.format("open loop at %s ops/s, %d threads", formatRate(opsPerSecond), threads)
                : "closed loop, " + threads + (threads == 1 ? " thread" : " threads");
        return new RunningLoad(workload, label != null ? label : workload.name(), mode, opsPerSecond, threads,
                duration, operations, warmup, interval, seed);
    }

    private static String formatRate(double rate) {
        return rate == Math.rint(rate) ? String.valueOf((long) rate) : String.valueOf(rate);
    }
}
