package org.datalayerlab.lab.failover;

import org.datalayerlab.lab.Postgres;

/**
 * A fencing token the servers check. Every primary has an epoch (1 at first; the controller raises
 * it at each failover and writes it to the server it promotes), and every write carries the epoch
 * its client last learned from the controller. A trigger on the table accepts a write only if it
 * carries the server's own epoch and the server has never seen a newer one; the newest epoch seen is
 * kept in a sequence, which a rolled-back write does not undo. So once one client shows an old
 * primary the new epoch, that server refuses every later write, whatever epoch it carries.
 *
 * <pre>{@code
 * EpochFence.install(primary, "orders");   // orders needs a column epoch bigint
 * insert into orders (..., epoch) values (..., controller.epoch())
 * }</pre>
 */
public final class EpochFence {

    /** The start of the message a refused write gets. */
    public static final String REFUSED = "fenced:";

    private EpochFence() {
    }

    /** Creates the epoch (1), the newest-epoch-seen sequence and the check on {@code table}; replicas get them by replication. */
    public static void install(Postgres primary, String table) {
        if (!table.matches("[a-z_][a-z0-9_]*")) {
            throw new IllegalArgumentException("table '" + table + "': use a plain lower-case name");
        }
        primary.execute("create table if not exists lab_epoch (epoch bigint not null);"
                + "insert into lab_epoch select 1 where not exists (select 1 from lab_epoch);"
                + "create sequence if not exists lab_seen_epoch minvalue 1 start 1;"
                + "create or replace function lab_check_epoch() returns trigger language plpgsql as $$\n"
                + "declare\n"
                + "  mine bigint := (select epoch from lab_epoch);\n"
                + "  seen bigint := (select last_value from lab_seen_epoch);\n"
                + "begin\n"
                + "  if new.epoch > seen then\n"
                + "    perform setval('lab_seen_epoch', new.epoch); -- a sequence is not rolled back with the write\n"
                + "    seen := new.epoch;\n"
                + "  end if;\n"
                + "  if new.epoch <> mine or seen > mine then\n"
                + "    raise exception '" + REFUSED + " this server is primary of epoch %, newest epoch seen %, the write carries %',"
                + " mine, seen, new.epoch;\n"
                + "  end if;\n"
                + "  return new;\n"
                + "end $$;"
                + "create or replace trigger lab_check_epoch before insert or update on " + table
                + " for each row execute function lab_check_epoch();");
    }

    /** The epoch {@code server} is primary of (what it accepts). */
    public static long epochOf(Postgres server) {
        return server.queryLong("select epoch from lab_epoch");
    }

    /** The newest epoch {@code server} has seen on a write. */
    public static long newestSeen(Postgres server) {
        return server.queryLong("select last_value from lab_seen_epoch");
    }

    /** true if {@code server} has the fence's table (installed on it or on the primary it was copied from). */
    public static boolean installedOn(Postgres server) {
        return "t".equals(server.queryString("select to_regclass('lab_epoch') is not null"));
    }

    /** Makes {@code newPrimary} the primary of {@code epoch}: what the controller does right after promoting it. */
    public static void advance(Postgres newPrimary, long epoch) {
        newPrimary.execute("update lab_epoch set epoch = " + epoch);
    }
}
