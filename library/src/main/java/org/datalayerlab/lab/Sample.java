package org.datalayerlab.lab;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.datalayerlab.lab.measure.Sampler;
import org.datalayerlab.lab.measure.TimeSeries;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.Table;

/**
 * Samples named metrics every few milliseconds while an action runs, and hands back a Tablesaw
 * table: one row per sample, a {@code "t (s)"} column and one column per metric.
 *
 * <pre>{@code
 * Sampled<Result> burst = Sample.every(Duration.ofMillis(50))
 *         .metric("replica1", () -> cluster.lag(replica1) / 1e6)
 *         .metric("replica2", () -> cluster.lag(replica2) / 1e6)
 *         .during(() -> Driver.openLoop(insert, 150).operations(225).run());
 * Charts.lines("Lag during a burst", "lag (MB)", burst.table())
 * }</pre>
 *
 * All metrics are read one after the other on one background thread, so the values of a row
 * belong to the same moment (give or take the time the reads take). A read that throws leaves
 * that cell missing (NaN, not charted) and is counted in {@link Sampled#errors()}.
 */
public final class Sample {

    private final Duration every;
    private final Map<String, Sampler.Metric> metrics = new LinkedHashMap<>();
    private Duration around = Duration.ZERO;

    private Sample(Duration every) {
        this.every = every;
    }

    /** Samples every {@code period}: add metrics with {@link #metric}, then run the action with {@link #during}. */
    public static Sample every(Duration period) {
        if (period == null || period.isZero() || period.isNegative()) {
            throw new IllegalArgumentException("Sample.every: the period must be positive, got " + period);
        }
        return new Sample(period);
    }

    /** A metric to read at every sample; {@code name} becomes its column (and its line in a chart). */
    public Sample metric(String name, Sampler.Metric metric) {
        Objects.requireNonNull(metric, "metric");
        if (name == null || name.isBlank() || name.equals(Sampled.TIME)) {
            throw new IllegalArgumentException("Sample.metric: give each metric a name other than '" + Sampled.TIME + "'");
        }
        if (metrics.putIfAbsent(name, metric) != null) {
            throw new IllegalArgumentException("Sample.metric: there is already a metric named '" + name + "'");
        }
        return this;
    }

    /** A metric read from one item of a list (a server, a replica, a shard). */
    @FunctionalInterface
    public interface ItemMetric<T> {
        double read(T item) throws Exception;
    }

    /**
     * One metric per item, named by {@code name}: for example one lag column per replica,
     * {@code .metric(cluster.replicas(), r -> r.name() + " lag", r -> cluster.lag(r) / 1e6)}.
     */
    public <T> Sample metric(java.util.Collection<T> items, java.util.function.Function<T, String> name, ItemMetric<T> metric) {
        Objects.requireNonNull(items, "items");
        Objects.requireNonNull(metric, "metric");
        for (T item : List.copyOf(items)) {
            metric(name.apply(item), () -> metric.read(item));
        }
        return this;
    }

    /** Also samples for {@code margin} before the action starts and after it ends, so a chart shows the calm on either side. */
    public Sample around(Duration margin) {
        if (margin == null || margin.isNegative()) {
            throw new IllegalArgumentException("Sample.around: the margin must be zero or positive, got " + margin);
        }
        this.around = margin;
        return this;
    }

    /** An action whose result is kept, e.g. a workload run returning a {@code Result}. */
    @FunctionalInterface
    public interface Action<T> {
        T run() throws Exception;
    }

    /** A step run for its effect, e.g. {@code cluster::awaitReplay}. */
    @FunctionalInterface
    public interface Step {
        void run() throws Exception;
    }

    /**
     * Runs {@code action} on this thread while sampling, and returns its value with the samples.
     * If the action throws, sampling stops and the exception is passed on (unchecked).
     */
    public <T> Sampled<T> during(Action<T> action) {
        return during(action, () -> { });
    }

    /**
     * Runs {@code action}, then {@code thenWait} (still sampling), e.g. a write burst and then
     * {@code cluster::awaitReplay}, so the samples show the replicas catching up too.
     */
    public <T> Sampled<T> during(Action<T> action, Step thenWait) {
        Objects.requireNonNull(action, "action");
        Objects.requireNonNull(thenWait, "thenWait");
        if (metrics.isEmpty()) {
            throw new IllegalStateException("Sample.during: add at least one metric(name, ...) first");
        }
        Recorder recorder = new Recorder(List.copyOf(metrics.keySet()), List.copyOf(metrics.values()));
        ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "lab-sample");
            t.setDaemon(true);
            return t;
        });
        T value;
        try {
            scheduler.scheduleAtFixedRate(recorder::sample, 0, every.toNanos(), TimeUnit.NANOSECONDS);
            pause(around);
            value = action.run();
            thenWait.run();
            pause(around);
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LabException("sampling was interrupted", e);
        } catch (Exception e) {
            throw new LabException("the sampled action failed: " + e.getMessage(), e);
        } finally {
            scheduler.shutdown();
            try {
                scheduler.awaitTermination(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        return recorder.finish(value);
    }

    /** Samples for a fixed time without an action (e.g. to watch a system settle). */
    public Table over(Duration duration) {
        return during(() -> {
            pause(duration);
            return null;
        }).table();
    }

    private static void pause(Duration d) throws InterruptedException {
        if (!d.isZero()) {
            Thread.sleep(d.toMillis(), (int) (d.toNanos() % 1_000_000));
        }
    }

    /** Rows as they are sampled; read by one thread, finished by the caller after that thread stopped. */
    private static final class Recorder {
        final List<String> names;
        final List<Sampler.Metric> reads;
        final long startNanos = System.nanoTime();
        final long startEpochMillis = System.currentTimeMillis();
        final List<double[]> rows = new ArrayList<>();
        long errors;
        String firstError;

        Recorder(List<String> names, List<Sampler.Metric> reads) {
            this.names = names;
            this.reads = reads;
        }

        void sample() {
            double[] row = new double[reads.size() + 1];
            row[0] = (System.nanoTime() - startNanos) / 1e9;
            for (int i = 0; i < reads.size(); i++) {
                try {
                    row[i + 1] = reads.get(i).read();
                } catch (Exception e) {
                    row[i + 1] = Double.NaN;
                    synchronized (this) {
                        errors++;
                        if (firstError == null) {
                            firstError = names.get(i) + ": " + e.getMessage();
                        }
                    }
                }
            }
            synchronized (this) {
                rows.add(row);
            }
        }

        synchronized <T> Sampled<T> finish(T value) {
            List<DoubleColumn> columns = new ArrayList<>();
            columns.add(DoubleColumn.create(Sampled.TIME, rows.stream().mapToDouble(r -> r[0]).toArray()));
            for (int i = 0; i < names.size(); i++) {
                int c = i + 1;
                columns.add(DoubleColumn.create(names.get(i), rows.stream().mapToDouble(r -> r[c]).toArray()));
            }
            Table table = Table.create("samples", columns.toArray(new DoubleColumn[0]));
            return new Sampled<>(value, table, startEpochMillis, errors, firstError);
        }
    }

    /**
     * What {@link #during} returns: the action's value and the samples taken while it ran.
     *
     * @param <T> the action's value, e.g. a workload's {@code Result}
     */
    public static final class Sampled<T> {

        /** Name of the time column: seconds since sampling began. */
        public static final String TIME = "t (s)";

        private final T value;
        private final Table table;
        private final long startEpochMillis;
        private final long errors;
        private final String firstError;

        Sampled(T value, Table table, long startEpochMillis, long errors, String firstError) {
            this.value = value;
            this.table = table;
            this.startEpochMillis = startEpochMillis;
            this.errors = errors;
            this.firstError = firstError;
        }

        /** What the action returned. */
        public T value() {
            return value;
        }

        /** One row per sample: {@code "t (s)"}, then one column per metric (missing where a read failed). */
        public Table table() {
            return table;
        }

        /** The largest value of a metric (NaN if it was never read). */
        public double max(String metric) {
            return column(metric).max();
        }

        /** The last value read of a metric (NaN if none). */
        public double last(String metric) {
            DoubleColumn c = column(metric).removeMissing();
            return c.isEmpty() ? Double.NaN : c.get(c.size() - 1);
        }

        /** One metric as a {@link TimeSeries} (failed reads left out), e.g. for {@code Charts.timeSeries}. */
        public TimeSeries series(String metric) {
            DoubleColumn values = column(metric);
            DoubleColumn time = table.doubleColumn(TIME);
            List<Integer> kept = new ArrayList<>();
            for (int i = 0; i < values.size(); i++) {
                if (!values.isMissing(i)) {
                    kept.add(i);
                }
            }
            return new TimeSeries(metric, startEpochMillis,
                    kept.stream().mapToDouble(time::getDouble).toArray(),
                    kept.stream().mapToDouble(values::getDouble).toArray(), errors, firstError);
        }

        /** Reads that threw (their cells are missing). */
        public long errors() {
            return errors;
        }

        /** The first failed read, as "metric: message", or null. */
        public String firstError() {
            return firstError;
        }

        private DoubleColumn column(String metric) {
            if (!table.columnNames().contains(metric) || TIME.equals(metric)) {
                throw new IllegalArgumentException("no metric named '" + metric + "'; sampled: "
                        + table.columnNames().subList(1, table.columnCount()));
            }
            return table.doubleColumn(metric);
        }

        @Override
        public String toString() {
            return table.rowCount() + " samples of " + table.columnNames().subList(1, table.columnCount())
                    + (errors == 0 ? "" : ", " + errors + " failed reads (first: " + firstError + ")") + "; value: " + value;
        }
    }
}
