package org.datalayerlab.lab.writes;

import java.util.Collection;
import java.util.List;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.LongColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

/** One timed load of rows: how many, how long, and how much WAL the server wrote for them. */
public record WriteRun(String label, long rows, double seconds, long walBytes) {

    public double rowsPerSecond() {
        return seconds > 0 ? rows / seconds : Double.NaN;
    }

    /** WAL bytes per row inserted. */
    public double walBytesPerRow() {
        return rows > 0 ? (double) walBytes / rows : Double.NaN;
    }

    public WriteRun withLabel(String newLabel) {
        return new WriteRun(newLabel, rows, seconds, walBytes);
    }

    /** One row per run: label, rows, seconds, rows/s, WAL bytes per row, and speed-up over the first run. */
    public static Table table(String name, Collection<WriteRun> runs) {
        List<WriteRun> list = List.copyOf(runs);
        if (list.isEmpty()) {
            throw new IllegalArgumentException("pass at least one run");
        }
        double base = list.get(0).rowsPerSecond();
        StringColumn label = StringColumn.create("label");
        LongColumn rows = LongColumn.create("rows");
        DoubleColumn seconds = DoubleColumn.create("seconds");
        DoubleColumn perSecond = DoubleColumn.create("rows/s");
        DoubleColumn wal = DoubleColumn.create("WAL bytes/row");
        DoubleColumn speedUp = DoubleColumn.create("x first row");
        for (WriteRun r : list) {
            label.append(r.label());
            rows.append(r.rows());
            seconds.append(Math.round(r.seconds() * 1000) / 1000.0);
            perSecond.append(Math.round(r.rowsPerSecond()));
            wal.append(Math.round(r.walBytesPerRow() * 10) / 10.0);
            speedUp.append(Math.round(r.rowsPerSecond() / base * 10) / 10.0);
        }
        return Table.create(name, label, rows, seconds, perSecond, wal, speedUp);
    }

    @Override
    public String toString() {
        return String.format("%s: %d rows in %.3f s, %.0f rows/s, %.0f WAL bytes/row", label, rows, seconds,
                rowsPerSecond(), walBytesPerRow());
    }
}
