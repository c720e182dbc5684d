package org.datalayerlab.lab;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;
import org.HdrHistogram.Histogram;
import org.datalayerlab.lab.measure.Result;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

/**
 * Read-your-writes, measured. Each attempt commits a new row on the primary (timed: the write),
 * optionally waits a pause (a user's think time), asks a {@link Route} which connection to read
 * from (the primary, the replica, the replica after waiting for it) and reads the row back
 * (timed: the read, route included). A read that does not find the row is stale.
 *
 * <pre>{@code
 * ReadAfterWrite.Outcome plain = ReadAfterWrite.between(primary, replica).attempts(100).run();
 * ReadAfterWrite.Outcome fixed = ReadAfterWrite.between(primary, replica).attempts(100)
 *         .route(ReadAfterWrite.waitForLsn(Duration.ofSeconds(5))).label("wait for LSN").run();
 * display(ReadAfterWrite.table("read-after-write", plain, fixed));
 * }</pre>
 *
 * The row goes into the probe table ({@code lab_replication_probe}), created on first use.
 */
public final class ReadAfterWrite {

    /** Picks the connection a read that follows a write goes to; it may wait first. */
    @FunctionalInterface
    public interface Route {
        /**
         * @param primary the writer's own session on the primary (the write has just committed on it)
         * @param replica a session on the replica
         * @return the connection to read from
         */
        Connection pick(Connection primary, Connection replica) throws Exception;
    }

    /** No fix: read from the replica at once. */
    public static Route replica() {
        return (primary, replica) -> replica;
    }

    /** Read-your-writes routing in its simplest form: a read that follows a write goes to the primary. */
    public static Route primary() {
        return (primary, replica) -> primary;
    }

    /**
     * Wait-for-LSN: after the commit take the primary's WAL insert position, wait until the
     * replica has replayed it, then read from the replica; after {@code timeout} read from the
     * primary instead ({@link WaitForLsn#fallbacks()} counts those reads).
     */
    public static WaitForLsn waitForLsn(Duration timeout) {
        return new WaitForLsn(timeout);
    }

    /**
     * Polls {@code pg_last_wal_replay_lsn()} on an open replica session (every 0.2 ms) until it
     * has reached {@code lsn} (text form, e.g. {@code 0/3000148}).
     *
     * @return true if it got there within {@code timeout}, false if not
     */
    public static boolean awaitReplay(Connection replica, String lsn, Duration timeout) throws SQLException {
        Objects.requireNonNull(lsn, "lsn");
        try (PreparedStatement s = replica.prepareStatement("select pg_last_wal_replay_lsn() >= ?::pg_lsn")) {
            s.setString(1, lsn);
            return Wait.upTo(timeout).every(Duration.ofNanos(200_000)).check(() -> {
                try (ResultSet rs = s.executeQuery()) {
                    return rs.next() && rs.getBoolean(1);
                }
            });
        }
    }

    /** What one measurement found: how many of its read-after-writes were stale, and the latencies. */
    public record Outcome(String label, int attempts, int stale, Result writes, Result reads) {

        /** Stale reads as a fraction of attempts, 0..1. */
        public double staleRate() {
            return attempts == 0 ? 0 : (double) stale / attempts;
        }

        @Override
        public String toString() {
            return String.format("%s: %d of %d reads stale (%.0f%%), read p50 %.2f ms, write p50 %.2f ms",
                    label, stale, attempts, 100 * staleRate(), reads.p50(), writes.p50());
        }
    }

    private final Postgres primary;
    private final Postgres replica;
    private int attempts = 100;
    private Duration pause = Duration.ZERO;
    private Route route = replica();
    private String label = "read from the replica";
    private String writerSetting;
    private String writerValue;

    private ReadAfterWrite(Postgres primary, Postgres replica) {
        this.primary = Objects.requireNonNull(primary, "primary");
        this.replica = Objects.requireNonNull(replica, "replica");
    }

    /** A read-after-write test: writes go to {@code primary}, reads to what the route picks. */
    public static ReadAfterWrite between(Postgres primary, Postgres replica) {
        return new ReadAfterWrite(primary, replica);
    }

    /** How many write-then-read pairs (default 100). */
    public ReadAfterWrite attempts(int attempts) {
        this.attempts = check(attempts, attempts >= 1, "attempts must be at least 1");
        return this;
    }

    /** Time between the commit and the read (default 0: read at once). */
    public ReadAfterWrite pause(Duration pause) {
        this.pause = check(pause, pause != null && !pause.isNegative(), "pause must be zero or positive");
        return this;
    }

    private static <T> T check(T value, boolean ok, String rule) {
        if (!ok) {
            throw new IllegalArgumentException(rule + ", got " + value);
        }
        return value;
    }

    /** Where reads go (default {@link #replica()}). */
    public ReadAfterWrite route(Route route) {
        this.route = Objects.requireNonNull(route, "route");
        return this;
    }

    /** Name of this measurement in tables and charts. */
    public ReadAfterWrite label(String label) {
        this.label = Objects.requireNonNull(label, "label");
        return this;
    }

    /** A parameter set on the writer's session, e.g. {@code writerSetting("synchronous_commit", "remote_apply")}. */
    public ReadAfterWrite writerSetting(String name, String value) {
        Settings.checkName(name);
        this.writerSetting = name;
        this.writerValue = Objects.requireNonNull(value, "value");
        return this;
    }

    /** Runs the attempts one after another and counts the stale reads. */
    public Outcome run() {
        Probe.ensure(primary, replica);
        Histogram writes = new Histogram(3);
        Histogram reads = new Histogram(3);
        long startMillis = System.currentTimeMillis();
        long start = System.nanoTime();
        int stale = 0;
        try (Connection w = primary.connect(); Connection r = replica.connect();
             PreparedStatement insert = w.prepareStatement(Probe.INSERT)) {
            if (writerSetting != null) {
                try (Statement s = w.createStatement()) {
                    s.execute("set " + writerSetting + " = " + Settings.quote(writerValue));
                }
            }
            for (int i = 0; i < attempts; i++) {
                long id = ThreadLocalRandom.current().nextLong();
                insert.setLong(1, id);
                long t0 = System.nanoTime();
                insert.executeUpdate();
                long t1 = System.nanoTime();
                writes.recordValue(t1 - t0);
                if (!pause.isZero()) {
                    // Thread.sleep, not parkNanos: a park may return early, and a short pause would read stale rows
                    Thread.sleep(pause.toMillis(), (int) (pause.toNanos() % 1_000_000));
                }
                long t2 = System.nanoTime();
                Connection from = route.pick(w, r);
                if (from == null) {
                    throw new LabException("the route returned no connection: return the primary or the replica connection");
                }
                boolean found;
                try (PreparedStatement read = from.prepareStatement(Probe.SELECT)) {
                    read.setLong(1, id);
                    try (ResultSet rs = read.executeQuery()) {
                        found = rs.next();
                    }
                }
                reads.recordValue(System.nanoTime() - t2);
                if (!found) {
                    stale++;
                }
            }
        } catch (LabException e) {
            throw e;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LabException(label + ": interrupted", e);
        } catch (Exception e) {
            throw new LabException(label + ": read-after-write from " + primary.name() + " to " + replica.name()
                    + " failed: " + e.getMessage(), e);
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        String mode = attempts + " write-then-read pairs" + (pause.isZero() ? "" : ", " + pause.toMillis() + " ms apart");
        return new Outcome(label, attempts, stale,
                new Result(label + " (writes)", mode, attempts, 0, null, seconds, writes, null, null, null, startMillis),
                new Result(label + " (reads)", mode, attempts, 0, null, seconds, reads, null, null, null, startMillis));
    }

    /** One row per outcome: label, attempts, stale reads, stale %, read and write p50/p99 in ms. */
    public static Table table(String name, Outcome... outcomes) {
        return table(name, List.of(outcomes));
    }

    public static Table table(String name, List<Outcome> outcomes) {
        StringColumn label = StringColumn.create("label");
        IntColumn attempts = IntColumn.create("attempts");
        IntColumn stale = IntColumn.create("stale reads");
        DoubleColumn rate = DoubleColumn.create("stale (%)");
        DoubleColumn readP50 = DoubleColumn.create("read p50 (ms)");
        DoubleColumn readP99 = DoubleColumn.create("read p99 (ms)");
        DoubleColumn writeP50 = DoubleColumn.create("write p50 (ms)");
        DoubleColumn writeP99 = DoubleColumn.create("write p99 (ms)");
        for (Outcome o : outcomes) {
            label.append(o.label());
            attempts.append(o.attempts());
            stale.append(o.stale());
            rate.append(round(100 * o.staleRate()));
            readP50.append(round(o.reads().p50()));
            readP99.append(round(o.reads().p99()));
            writeP50.append(round(o.writes().p50()));
            writeP99.append(round(o.writes().p99()));
        }
        return Table.create(name, label, attempts, stale, rate, readP50, readP99, writeP50, writeP99);
    }

    private static double round(double v) {
        return Double.isFinite(v) ? Math.round(v * 100) / 100.0 : v;
    }
}
