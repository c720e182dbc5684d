package org.datalayerlab.lab.timeseries;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.datalayerlab.lab.LabException;

/**
 * Times one query several times on one open connection and keeps the fastest run. On a busy
 * machine noise only ever adds time, so the fastest of N runs is the steadiest estimate of what
 * the query itself costs, and a ratio of two fastest runs holds run after run:
 *
 * <pre>{@code
 * QueryTimes.Timing raw = QueryTimes.time("raw", c, "select ... from metrics group by ...", 5);
 * QueryTimes.Timing rollup = QueryTimes.time("rollup", c, "select ... from metrics_hourly ...", 5);
 * double faster = raw.bestMs() / rollup.bestMs();
 * }</pre>
 */
public final class QueryTimes {

    /** One query's runs: the fastest and the median in ms, how many runs were timed, the rows the query returned. */
    public record Timing(String label, double bestMs, double medianMs, int runs, long rows) {}

    private QueryTimes() {
    }

    /**
     * Runs {@code sql} once untimed (it fills caches and, for a prepared path, plans), then
     * {@code runs} times timed, reading every row each time.
     */
    public static Timing time(String label, Connection connection, String sql, int runs) {
        if (runs < 1) {
            throw new IllegalArgumentException("runs must be at least 1, was " + runs);
        }
        List<Double> ms = new ArrayList<>();
        long rows = 0;
        try (Statement s = connection.createStatement()) {
            for (int run = 0; run <= runs; run++) {
                long t0 = System.nanoTime();
                rows = readAll(s, sql);
                if (run > 0) {
                    ms.add((System.nanoTime() - t0) / 1e6);
                }
            }
        } catch (SQLException e) {
            throw new LabException(label + ": " + sql + ": " + e.getMessage(), e);
        }
        Collections.sort(ms);
        return new Timing(label, ms.get(0), ms.get(ms.size() / 2), ms.size(), rows);
    }

    private static long readAll(Statement s, String sql) throws SQLException {
        long rows = 0;
        try (ResultSet rs = s.executeQuery(sql)) {
            while (rs.next()) {
                rows++;
            }
        }
        return rows;
    }
}
