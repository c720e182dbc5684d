package org.datalayerlab.lab.measure;

import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.LongColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/** Turns results into Tablesaw tables, which the kernel shows as HTML. */
public final class Results {

    /** The columns of {@link #table}, in order. */
    public static final List<String> COLUMNS = List.of("label", "ops", "errors", "throughput (ops/s)",
            "p50 (ms)", "p90 (ms)", "p99 (ms)", "p99.9 (ms)", "max (ms)");

    private Results() {
    }

    /** One row per run: label, ops, errors, throughput and latency percentiles. */
    public static Table table(String name, Result... runs) {
        return table(name, List.of(runs));
    }

    /** One row per run: label, ops, errors, throughput and latency percentiles. */
    public static Table table(String name, Collection<Result> runs) {
        StringColumn label = StringColumn.create(COLUMNS.get(0));
        LongColumn ops = LongColumn.create(COLUMNS.get(1));
        LongColumn errors = LongColumn.create(COLUMNS.get(2));
        DoubleColumn throughput = DoubleColumn.create(COLUMNS.get(3));
        DoubleColumn p50 = DoubleColumn.create(COLUMNS.get(4));
        DoubleColumn p90 = DoubleColumn.create(COLUMNS.get(5));
        DoubleColumn p99 = DoubleColumn.create(COLUMNS.get(6));
        DoubleColumn p999 = DoubleColumn.create(COLUMNS.get(7));
        DoubleColumn max = DoubleColumn.create(COLUMNS.get(8));
        for (Result r : runs) {
            label.append(r.label());
            ops.append(r.operations());
            errors.append(r.errors());
            throughput.append(round(r.throughput(), 1));
            p50.append(round(r.p50(), 3));
            p90.append(round(r.p90(), 3));
            p99.append(round(r.p99(), 3));
            p999.append(round(r.p999(), 3));
            max.append(round(r.max(), 3));
        }
        return Table.create(name, label, ops, errors, throughput, p50, p90, p99, p999, max);
    }

    /** One row per kind of operation of one run (e.g. read and update of YCSB A). */
    public static Table byKind(String name, Result run) {
        List<Result> rows = new ArrayList<>();
        for (Map.Entry<String, Result> e : run.kinds().entrySet()) {
            rows.add(e.getValue().withLabel(e.getKey()));
        }
        return table(name, rows);
    }

    /** The run slice by slice: start (s), ops, errors, throughput, p50, p99, max. */
    public static Table timeline(String name, Result run) {
        DoubleColumn start = DoubleColumn.create("t (s)");
        LongColumn ops = LongColumn.create("ops");
        LongColumn errors = LongColumn.create("errors");
        DoubleColumn throughput = DoubleColumn.create("throughput (ops/s)");
        DoubleColumn p50 = DoubleColumn.create("p50 (ms)");
        DoubleColumn p99 = DoubleColumn.create("p99 (ms)");
        DoubleColumn max = DoubleColumn.create("max (ms)");
        for (Interval i : run.timeline()) {
            start.append(round(i.startSeconds(), 3));
            ops.append(i.operations());
            errors.append(i.errors());
            throughput.append(round(i.throughput(), 1));
            p50.append(round(i.p50(), 3));
            p99.append(round(i.p99(), 3));
            max.append(round(i.max(), 3));
        }
        return Table.create(name, start, ops, errors, throughput, p50, p99, max);
    }

    private static double round(double value, int decimals) {
        if (Double.isNaN(value) || Double.isInfinite(value)) {
            return value;
        }
        double scale = Math.pow(10, decimals);
        return Math.round(value * scale) / scale;
    }
}
