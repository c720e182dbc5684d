package org.datalayerlab.lab.transactions;

import org.datalayerlab.lab.Postgres;
import tech.tablesaw.api.Table;

/**
 * Prepared transactions waiting for their coordinator's decision, as a server reports them in
 * {@code pg_prepared_xacts}, with the locks each one still holds (in {@code pg_locks} the locks of
 * a prepared transaction have no process: pid is null).
 */
public final class InDoubt {

    private InDoubt() {
    }

    /** Locks with no process (pid is null) in the virtual transaction that holds the prepared transaction's own id lock. */
    private static final String LOCKS_OF = "(select count(*) from pg_locks l where l.pid is null and l.virtualtransaction in"
            + " (select x.virtualtransaction from pg_locks x where x.locktype = 'transactionid' and x.transactionid = p.transaction))";

    /** How many prepared transactions {@code server} holds. */
    public static long count(Postgres server) {
        return server.queryLong("select count(*) from pg_prepared_xacts");
    }

    /** How many locks prepared transactions hold on {@code server}. */
    public static long locks(Postgres server) {
        return server.queryLong("select coalesce(sum(" + LOCKS_OF + "), 0) from pg_prepared_xacts p");
    }

    /** How many sessions on {@code server} are waiting for a lock right now. */
    public static long waitingForLocks(Postgres server) {
        return server.queryLong("select count(*) from pg_stat_activity where wait_event_type = 'Lock'");
    }

    /** gid, when it was prepared, how long ago (ms) and the locks it holds, one row per prepared transaction. */
    public static Table table(Postgres server) {
        return server.sql("select '" + server.name() + "' as server, gid, prepared, "
                + "round(extract(epoch from now() - prepared) * 1000) as age_ms, " + LOCKS_OF + " as locks_held "
                + "from pg_prepared_xacts p order by prepared");
    }
}
