package org.datalayerlab.lab.measure;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Reads a metric every few milliseconds on a background thread and keeps the values as a
 * {@link TimeSeries}, for example replication lag every 50 ms while a write burst runs:
 *
 * <pre>{@code
 * try (Sampler lag = Sampler.start("replica lag (bytes)", Duration.ofMillis(50), () -> lagBytes(replica))) {
 *     ... run the burst ...
 *     series = lag.stop();
 * }
 * }</pre>
 *
 * A sample whose metric throws is counted as an error and left out.
 */
public final class Sampler implements AutoCloseable {

    /** A metric read once per sample. */
    @FunctionalInterface
    public interface Metric {
        double read() throws Exception;
    }

    private final String name;
    private final Metric metric;
    private final ScheduledExecutorService scheduler;
    private final long startNanos = System.nanoTime();
    private final long startEpochMillis = System.currentTimeMillis();
    private double[] seconds = new double[256];
    private double[] values = new double[256];
    private int size;
    private long errors;
    private String firstError;
    private TimeSeries stopped;

    private Sampler(String name, Duration every, Metric metric) {
        this.name = name;
        this.metric = metric;
        this.scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "lab-sampler-" + name);
            t.setDaemon(true);
            return t;
        });
        scheduler.scheduleAtFixedRate(this::sample, 0, every.toNanos(), TimeUnit.NANOSECONDS);
    }

    /** Starts sampling {@code metric} now and then every {@code every}. */
    public static Sampler start(String name, Duration every, Metric metric) {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(metric, "metric");
        if (every == null || every.isZero() || every.isNegative()) {
            throw new IllegalArgumentException("sampling period must be positive, got " + every);
        }
        return new Sampler(name, every, metric);
    }

    private void sample() {
        double t = (System.nanoTime() - startNanos) / 1e9;
        double value;
        try {
            value = metric.read();
        } catch (Exception e) {
            synchronized (this) {
                errors++;
                if (firstError == null) {
                    firstError = String.valueOf(e.getMessage());
                }
            }
            return;
        }
        synchronized (this) {
            if (size == values.length) {
                seconds = java.util.Arrays.copyOf(seconds, size * 2);
                values = java.util.Arrays.copyOf(values, size * 2);
            }
            seconds[size] = t;
            values[size] = value;
            size++;
        }
    }

    /** What has been sampled so far; sampling goes on. */
    public synchronized TimeSeries series() {
        if (stopped != null) {
            return stopped;
        }
        return new TimeSeries(name, startEpochMillis, java.util.Arrays.copyOf(seconds, size),
                java.util.Arrays.copyOf(values, size), errors, firstError);
    }

    /** Stops sampling (waiting for a sample in progress) and returns the series. Idempotent. */
    public TimeSeries stop() {
        scheduler.shutdown();
        try {
            scheduler.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        synchronized (this) {
            if (stopped == null) {
                stopped = series();
            }
            return stopped;
        }
    }

    @Override
    public void close() {
        stop();
    }
}
