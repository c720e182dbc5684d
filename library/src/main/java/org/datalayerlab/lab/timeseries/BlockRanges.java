package org.datalayerlab.lab.timeseries;

import org.datalayerlab.lab.Postgres;
import tech.tablesaw.api.Table;

/**
 * What a BRIN index on a timestamp column knows about a table: for each range of
 * {@code pagesPerRange} consecutive heap pages, the smallest and largest value stored there.
 * A query can skip a range only if its interval misses [min, max]; when rows arrive in time
 * order each range spans minutes, when they arrive shuffled each spans the whole table.
 * Computed from the heap itself (each row's page from its {@code ctid}), so it needs no
 * extension and works on every backend.
 */
public final class BlockRanges {

    private BlockRanges() {
    }

    /**
     * One row per block range: {@code block_range}, {@code rows}, {@code min}, {@code max} and
     * {@code span_hours} (max - min of {@code column}, a timestamp, in hours).
     */
    public static Table of(Postgres server, String table, String column, int pagesPerRange) {
        requireName(table);
        requireName(column);
        if (pagesPerRange < 1) {
            throw new IllegalArgumentException("pagesPerRange must be at least 1 (BRIN's default is 128), was " + pagesPerRange);
        }
        return server.sql("select (ctid::text::point)[0]::bigint / " + pagesPerRange + " as block_range, count(*) as rows,"
                + " min(" + column + ") as min, max(" + column + ") as max,"
                + " round((extract(epoch from max(" + column + ") - min(" + column + ")) / 3600)::numeric, 3)::float8 as span_hours"
                + " from " + table + " group by 1 order by 1");
    }

    /** The median of {@code span_hours} over the ranges of {@link #of}: how wide a typical range is. */
    public static double medianSpanHours(Table ranges) {
        return ranges.numberColumn("span_hours").median();
    }

    /**
     * The planner's statistic {@code pg_stats.correlation} of {@code column}: +1 when the rows
     * lie on disk in the column's order, near 0 when unrelated (run ANALYZE first).
     */
    public static double correlation(Postgres server, String table, String column) {
        requireName(table);
        requireName(column);
        String value = server.queryString("select correlation::text from pg_stats where schemaname = current_schema()"
                + " and tablename = '" + table + "' and attname = '" + column + "'");
        if (value == null) {
            throw new IllegalStateException("no statistics for " + table + "." + column + "; run ANALYZE " + table + " first");
        }
        return Double.parseDouble(value);
    }

    private static void requireName(String name) {
        if (name == null || !name.matches("[A-Za-z_][A-Za-z0-9_]*")) {
            throw new IllegalArgumentException("pass a plain SQL name (letters, digits, _), was: " + name);
        }
    }
}
