package org.datalayerlab.lab;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import tech.tablesaw.api.LongColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

/**
 * Measuring replication: WAL positions, lag in bytes and in time, stale reads after writes,
 * and the logical-replication plumbing (slots, publications) change-data-capture lessons need.
 * Positions (LSNs) are plain longs: byte offsets into the WAL, so differences are bytes.
 */
public final class Replication {

    /** The probe table written on the primary and read on replicas by the time-based measurements. */
    public static final String PROBE_TABLE = Probe.TABLE;

    private static final Duration VISIBILITY_POLL = Duration.ofMillis(1);

    private Replication() {
    }

    /** Parses a PostgreSQL LSN such as {@code 0/3000148} into a byte position ({@link Lsn#parse}). */
    public static long parseLsn(String lsn) {
        return Lsn.parse(lsn);
    }

    /** Formats a byte position as PostgreSQL writes an LSN ({@link Lsn#format}). */
    public static String formatLsn(long position) {
        return Lsn.format(position);
    }

    /** The primary's current WAL write position: {@link Postgres#walPosition()}. */
    public static long walPosition(Postgres primary) {
        return primary.walPosition();
    }

    /** How far a replica has replayed (applied) WAL: {@link Postgres#replayPosition()}. */
    public static long replayPosition(Postgres replica) {
        return replica.replayPosition();
    }

    /** How far a replica has received and flushed WAL: {@link Postgres#receivePosition()}. */
    public static long receivePosition(Postgres replica) {
        return replica.receivePosition();
    }

    /**
     * Replay lag in bytes: the primary's WAL position minus what the replica has applied (0 when
     * caught up). Read from the primary first, so a replica that catches up in between reads as 0, not negative.
     */
    public static long lagBytes(Postgres primary, Postgres replica) {
        long written = primary.walPosition();
        long applied = replica.replayPosition();
        return Math.max(0, written - applied);
    }

    /**
     * Replay lag in time, as the primary sees it: {@code pg_stat_replication.replay_lag}, how long
     * ago the primary flushed the WAL that {@code replica} has just confirmed replaying. Zero when
     * the replica has caught up and nothing new was written (PostgreSQL then reports NULL).
     */
    public static Duration replayLag(Postgres primary, Postgres replica) {
        String name = replica.name();
        checkIdentifier(name, "replica name");
        String micros = queryPooled(primary, "select coalesce(extract(epoch from replay_lag) * 1000000, 0)::bigint"
                + " from pg_stat_replication where application_name = '" + name + "'");
        if (micros == null) {
            throw new LabException(primary.name() + " has no standby named " + name + " connected (pg_stat_replication)");
        }
        return Duration.ofNanos(Long.parseLong(micros) * 1000);
    }

    /** One value over the server's own pool: samplers call replayLag every few ms, a new session costs several. */
    private static String queryPooled(Postgres pg, String sql) {
        try (Connection c = pg.dataSource().getConnection(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            return rs.next() ? rs.getString(1) : null;
        } catch (SQLException e) {
            throw new LabException(pg.name() + ": " + sql + ": " + e.getMessage(), e);
        }
    }

    /** Waits until {@code replica} has applied the primary's current WAL position. */
    public static void awaitReplay(Postgres primary, Postgres replica, Duration timeout) {
        if (!replica.awaitReplay(primary.walPosition(), timeout)) {
            throw new LabException(replica.name() + " did not catch up with " + primary.name() + " within "
                    + timeout.toMillis() + " ms (lag " + lagBytes(primary, replica) + " bytes)");
        }
    }

    /**
     * The wait-for-LSN fix for read-your-writes: waits until {@code replica} has applied
     * {@code position} (e.g. the primary's {@link #walPosition} right after a write).
     *
     * @return true if it got there within {@code timeout}
     */
    public static boolean awaitLsn(Postgres replica, long position, Duration timeout) {
        return replica.awaitReplay(position, timeout);
    }

    /**
     * Time until a row committed on the primary can be read on the replica, measured from the
     * moment the primary acknowledged the commit (when a client would read its own write).
     */
    public static Duration timeToVisible(Postgres primary, Postgres replica, Duration timeout) {
        Probe.ensure(primary, replica);
        try (Connection w = primary.connect(); Connection r = replica.connect();
             PreparedStatement insert = w.prepareStatement(Probe.INSERT);
             PreparedStatement read = r.prepareStatement(Probe.SELECT)) {
            long id = ThreadLocalRandom.current().nextLong();
            insert.setLong(1, id);
            read.setLong(1, id);
            insert.executeUpdate();
            long committed = System.nanoTime();
            // a pause of 1 ms between reads: the answer is at most that late, and the replica is not flooded
            boolean seen = Wait.upTo(timeout).every(VISIBILITY_POLL).check(() -> {
                try (ResultSet rs = read.executeQuery()) {
                    return rs.next();
                }
            });
            if (!seen) {
                throw new LabException("a row written on " + primary.name() + " was not visible on " + replica.name()
                        + " within " + timeout.toMillis() + " ms");
            }
            return Duration.ofNanos(System.nanoTime() - committed);
        } catch (SQLException e) {
            throw new LabException("timeToVisible(" + primary.name() + ", " + replica.name() + "): " + e.getMessage(), e);
        }
    }

    /**
     * One read-after-write: commits a row on the primary, then immediately looks for it on the
     * replica. True if the read was stale (the row was not there yet).
     */
    public static boolean staleRead(Postgres primary, Postgres replica) {
        return staleReads(primary, replica, 1) == 1;
    }

    /**
     * {@code attempts} read-after-writes over two open connections; returns how many were stale.
     * Each attempt writes a new row and reads it back from the replica at once.
     */
    public static int staleReads(Postgres primary, Postgres replica, int attempts) {
        Probe.ensure(primary, replica);
        int stale = 0;
        try (Connection w = primary.connect(); Connection r = replica.connect();
             PreparedStatement insert = w.prepareStatement(Probe.INSERT);
             PreparedStatement read = r.prepareStatement(Probe.SELECT)) {
            for (int i = 0; i < attempts; i++) {
                long id = ThreadLocalRandom.current().nextLong();
                insert.setLong(1, id);
                insert.executeUpdate();
                read.setLong(1, id);
                try (ResultSet rs = read.executeQuery()) {
                    if (!rs.next()) {
                        stale++;
                    }
                }
            }
        } catch (SQLException e) {
            throw new LabException("staleReads(" + primary.name() + ", " + replica.name() + "): " + e.getMessage(), e);
        }
        return stale;
    }

    /** {@code pg_stat_replication} on the primary: one row per connected standby, lags in bytes. */
    public static Table status(Postgres primary) {
        StringColumn name = StringColumn.create("replica");
        StringColumn state = StringColumn.create("state");
        StringColumn sync = StringColumn.create("sync_state");
        LongColumn sent = LongColumn.create("sent_lag_bytes");
        LongColumn flush = LongColumn.create("flush_lag_bytes");
        LongColumn replay = LongColumn.create("replay_lag_bytes");
        String sql = "select application_name, state, sync_state,"
                + " pg_wal_lsn_diff(pg_current_wal_lsn(), sent_lsn)::bigint,"
                + " pg_wal_lsn_diff(pg_current_wal_lsn(), flush_lsn)::bigint,"
                + " pg_wal_lsn_diff(pg_current_wal_lsn(), replay_lsn)::bigint"
                + " from pg_stat_replication order by application_name";
        try (Connection c = primary.connect(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            while (rs.next()) {
                name.append(rs.getString(1));
                state.append(rs.getString(2));
                sync.append(rs.getString(3));
                sent.append(rs.getLong(4));
                flush.append(rs.getLong(5));
                replay.append(rs.getLong(6));
            }
        } catch (SQLException e) {
            throw new LabException(primary.name() + ": could not read pg_stat_replication: " + e.getMessage(), e);
        }
        return Table.create("replication on " + primary.name(), name, state, sync, sent, flush, replay);
    }

    /**
     * A read-your-writes measurement between {@code primary} and {@code replica}: the same as
     * {@link ReadAfterWrite#between}, found here with the other replication measurements.
     */
    public static ReadAfterWrite readAfterWrite(Postgres primary, Postgres replica) {
        return ReadAfterWrite.between(primary, replica);
    }

    // --- logical replication --------------------------------------------------------------------

    /**
     * A logical replication slot ({@code pgoutput} for publications and Debezium,
     * {@code test_decoding} for reading changes as text). Needs wal_level=logical on the server:
     * create it with {@code Settings.of("wal_level", "logical")}.
     */
    public static void createLogicalSlot(Postgres pg, String slot, String plugin) {
        checkIdentifier(slot, "slot name");
        checkIdentifier(plugin, "output plugin");
        if (!"logical".equals(pg.show("wal_level"))) {
            throw new LabException(pg.name() + " has wal_level=" + pg.show("wal_level") + "; logical slots need"
                    + " wal_level=logical: create the server with Settings.of(\"wal_level\", \"logical\")"
                    + " or call set(\"wal_level\", \"logical\") (restarts it)");
        }
        pg.queryString("select pg_create_logical_replication_slot('" + slot + "', '" + plugin + "')");
    }

    /** Drops a replication slot (logical or physical) if it exists. */
    public static void dropSlot(Postgres pg, String slot) {
        checkIdentifier(slot, "slot name");
        pg.queryStrings("select pg_drop_replication_slot(slot_name) from pg_replication_slots where slot_name = '" + slot + "'");
    }

    /** WAL the server keeps for a slot's consumer, in bytes: grows while the consumer is away, drains when it reads. */
    public static long retainedWalBytes(Postgres pg, String slot) {
        checkIdentifier(slot, "slot name");
        String v = pg.queryString("select pg_wal_lsn_diff(pg_current_wal_lsn(), restart_lsn)::bigint"
                + " from pg_replication_slots where slot_name = '" + slot + "'");
        if (v == null) {
            throw new LabException(pg.name() + " has no replication slot named '" + slot + "'");
        }
        return Long.parseLong(v);
    }

    /** {@code CREATE PUBLICATION name FOR TABLE ...}, or for all tables when none are named. */
    public static void createPublication(Postgres pg, String name, String... tables) {
        checkIdentifier(name, "publication name");
        for (String t : tables) {
            if (!t.matches("[A-Za-z_][A-Za-z0-9_]*(\\.[A-Za-z_][A-Za-z0-9_]*)?")) {
                throw new IllegalArgumentException("not a table name: '" + t + "'");
            }
        }
        pg.execute("create publication " + name + (tables.length == 0 ? " for all tables" : " for table " + String.join(", ", tables)));
    }

    private static void checkIdentifier(String value, String what) {
        if (value == null || !value.matches("[a-z_][a-z0-9_]*")) {
            throw new IllegalArgumentException("not a valid " + what + ": '" + value
                    + "' (use lower-case letters, digits and underscores)");
        }
    }
}
