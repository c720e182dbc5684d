package org.datalayerlab.lab;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The wait-for-LSN fix for read-your-writes, as a {@link ReadAfterWrite.Route}: right after the
 * commit take the primary's WAL <em>insert</em> position, wait until the replica has replayed
 * it, then read from the replica; if it has not got there within the timeout, read from the
 * primary instead (a stuck replica must not hang the page) and count the fallback.
 *
 * <p>Why the insert position ({@code pg_current_wal_insert_lsn()}) and not the write position
 * ({@code pg_current_wal_lsn()}): a commit with {@code synchronous_commit = off} returns once its
 * commit record is in the WAL buffers, before the WAL writer has written it out, so the write
 * position can still lie before the commit record. The insert position is never before it.
 * (PostgreSQL 17 documentation, 9.28.3 "Backup Control Functions".)
 */
public final class WaitForLsn implements ReadAfterWrite.Route {

    private final Duration timeout;
    private final AtomicInteger fallbacks = new AtomicInteger();

    WaitForLsn(Duration timeout) {
        this.timeout = Objects.requireNonNull(timeout, "timeout");
        if (timeout.isNegative()) {
            throw new IllegalArgumentException("timeout must be zero or positive, got " + timeout);
        }
    }

    @Override
    public Connection pick(Connection primary, Connection replica) throws Exception {
        String lsn;
        try (Statement s = primary.createStatement(); ResultSet rs = s.executeQuery("select pg_current_wal_insert_lsn()::text")) {
            rs.next();
            lsn = rs.getString(1);
        }
        if (ReadAfterWrite.awaitReplay(replica, lsn, timeout)) {
            return replica;
        }
        fallbacks.incrementAndGet();
        return primary;
    }

    /** How many reads went to the primary because the replica had not caught up in time. */
    public int fallbacks() {
        return fallbacks.get();
    }

    /** The longest a read waits for the replica before it goes to the primary. */
    public Duration timeout() {
        return timeout;
    }
}
