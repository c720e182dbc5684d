package org.datalayerlab.lab.measure;

import org.HdrHistogram.Histogram;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What one measured run did: operations that succeeded, errors (and the first error's
 * message), throughput and latency percentiles in milliseconds. Warm-up is excluded; the
 * {@link #timeline()} covers the whole run. Drivers make these; {@link Results} turns them
 * into tables and {@code Charts} into charts.
 */
public final class Result {

    private final String label;
    private final String mode;
    private final long operations;
    private final long errors;
    private final String firstError;
    private final double seconds;
    private final Histogram latencyNanos;
    private final Map<String, Result> kinds;
    private final List<Interval> timeline;
    private final List<Marker> markers;
    private final long startEpochMillis;

    /**
     * @param latencyNanos latencies of the successful measured operations, in nanoseconds
     * @param seconds      length of the measured window
     */
    public Result(String label, String mode, long operations, long errors, String firstError, double seconds,
                  Histogram latencyNanos, Map<String, Result> kinds, List<Interval> timeline, List<Marker> markers,
                  long startEpochMillis) {
        this.label = Objects.requireNonNull(label, "label");
        this.mode = mode == null ? "" : mode;
        this.operations = operations;
        this.errors = errors;
        this.firstError = firstError;
        this.seconds = seconds;
        this.latencyNanos = Objects.requireNonNull(latencyNanos, "latencyNanos");
        this.kinds = kinds == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(kinds));
        this.timeline = timeline == null ? List.of() : List.copyOf(timeline);
        this.markers = markers == null ? List.of() : List.copyOf(markers);
        this.startEpochMillis = startEpochMillis;
    }

    /** What this run is called in tables and chart legends. */
    public String label() {
        return label;
    }

    /** How it was driven, e.g. "closed loop, 8 threads" or "open loop at 500 ops/s, 16 threads". */
    public String mode() {
        return mode;
    }

    /** The same run under another label (e.g. "sync" instead of "run 2"). */
    public Result withLabel(String newLabel) {
        return new Result(newLabel, mode, operations, errors, firstError, seconds, latencyNanos, kinds, timeline,
                markers, startEpochMillis);
    }

    /** Successful operations in the measured window. */
    public long operations() {
        return operations;
    }

    /** Failed operations in the measured window (for an open loop also scheduled ones that never started). */
    public long errors() {
        return errors;
    }

    /** Message of the first error, or null if there was none. */
    public String firstError() {
        return firstError;
    }

    /** Length of the measured window in seconds. */
    public double seconds() {
        return seconds;
    }

    /** Successful operations per second. */
    public double throughput() {
        return seconds > 0 ? operations / seconds : 0;
    }

    public double p50() {
        return percentile(50);
    }

    public double p90() {
        return percentile(90);
    }

    public double p99() {
        return percentile(99);
    }

    public double p999() {
        return percentile(99.9);
    }

    /** Slowest successful operation in ms (NaN if none). */
    public double max() {
        return latencyNanos.getTotalCount() == 0 ? Double.NaN : latencyNanos.getMaxValue() / 1e6;
    }

    /** Mean latency in ms (NaN if none). */
    public double mean() {
        return latencyNanos.getTotalCount() == 0 ? Double.NaN : latencyNanos.getMean() / 1e6;
    }

    /** Latency at the given percentile (0..100) in ms (NaN if nothing succeeded). */
    public double percentile(double percentile) {
        return latencyNanos.getTotalCount() == 0 ? Double.NaN : latencyNanos.getValueAtPercentile(percentile) / 1e6;
    }

    /** A copy of the latency histogram, in nanoseconds. */
    public Histogram histogram() {
        return latencyNanos.copy();
    }

    /** Per kind of operation (e.g. "read", "update"), when the workload names them. */
    public Map<String, Result> kinds() {
        return kinds;
    }

    /** The result for one kind of operation; throws if the run had none of that kind. */
    public Result kind(String kind) {
        Result r = kinds.get(kind);
        if (r == null) {
            throw new IllegalArgumentException("this run has no operations of kind \"" + kind + "\"; it has " + kinds.keySet());
        }
        return r;
    }

    /** The run slice by slice, warm-up included, for latency-over-time charts. */
    public List<Interval> timeline() {
        return timeline;
    }

    /** Moments marked while the run went on. */
    public List<Marker> markers() {
        return markers;
    }

    /** Wall-clock start of the run (to line it up with sampled time series). */
    public long startEpochMillis() {
        return startEpochMillis;
    }

    @Override
    public String toString() {
        return String.format("%s: %d ops, %d errors, %.1f ops/s, p50 %.2f ms, p99 %.2f ms, max %.2f ms%s",
                label, operations, errors, throughput(), p50(), p99(), max(),
                firstError == null ? "" : " (first error: " + firstError + ")");
    }
}
