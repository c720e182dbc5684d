package org.datalayerlab.lab.measure;

/**
 * One slice of a run's latency timeline: operations completed in
 * [{@code startSeconds}, {@code startSeconds + seconds}) after the run started (warm-up included),
 * their errors and latency percentiles in milliseconds (NaN when nothing completed).
 */
public record Interval(double startSeconds, double seconds, long operations, long errors,
                       double p50, double p99, double max) {

    /** Completed operations per second in this slice. */
    public double throughput() {
        return seconds > 0 ? operations / seconds : 0;
    }
}
