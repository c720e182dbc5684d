package org.datalayerlab.lab.measure;

import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.Table;

import java.util.Arrays;
import java.util.Objects;

/**
 * Values of one metric over time: {@code seconds[i]} after {@link #startEpochMillis()} the
 * metric was {@code values[i]}. Made by a {@link Sampler}, or directly.
 */
public final class TimeSeries {

    private final String name;
    private final long startEpochMillis;
    private final double[] seconds;
    private final double[] values;
    private final long errors;
    private final String firstError;

    public TimeSeries(String name, long startEpochMillis, double[] seconds, double[] values, long errors, String firstError) {
        this.name = Objects.requireNonNull(name, "name");
        if (seconds.length != values.length) {
            throw new IllegalArgumentException("seconds and values differ in length: " + seconds.length + " vs " + values.length);
        }
        this.startEpochMillis = startEpochMillis;
        this.seconds = seconds.clone();
        this.values = values.clone();
        this.errors = errors;
        this.firstError = firstError;
    }

    public String name() {
        return name;
    }

    public long startEpochMillis() {
        return startEpochMillis;
    }

    public int size() {
        return values.length;
    }

    /** Seconds since the start, one per sample. */
    public double[] seconds() {
        return seconds.clone();
    }

    public double[] values() {
        return values.clone();
    }

    /** Samples whose metric threw (they are left out of the series). */
    public long errors() {
        return errors;
    }

    /** Message of the first failed sample, or null. */
    public String firstError() {
        return firstError;
    }

    public double max() {
        return Arrays.stream(values).max().orElse(Double.NaN);
    }

    public double min() {
        return Arrays.stream(values).min().orElse(Double.NaN);
    }

    public double mean() {
        return Arrays.stream(values).average().orElse(Double.NaN);
    }

    /** The last value sampled (NaN if none). */
    public double last() {
        return values.length == 0 ? Double.NaN : values[values.length - 1];
    }

    /** Two columns: "t (s)" and the series' name. */
    public Table table() {
        return Table.create(name, DoubleColumn.create("t (s)", seconds), DoubleColumn.create(name, values));
    }

    @Override
    public String toString() {
        return String.format("%s: %d samples, min %.3g, mean %.3g, max %.3g, last %.3g", name, size(), min(), mean(), max(), last());
    }
}
