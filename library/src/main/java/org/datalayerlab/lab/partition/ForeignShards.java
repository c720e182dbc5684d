package org.datalayerlab.lab.partition;

import org.datalayerlab.lab.Postgres;

/**
 * Makes other PostgreSQL servers reachable from a coordinator with postgres_fdw, so their tables
 * can become foreign partitions of one table there:
 *
 * <pre>{@code
 * ForeignShards.attach(coordinator, "shard0", shards.get(0));
 * coordinator.execute("create foreign table flights_s0 partition of flights_sharded"
 *         + " for values with (modulus 3, remainder 0) server shard0 options (table_name 'flights')");
 * }</pre>
 *
 * Each call creates the extension (once), a foreign server and the user mapping for the
 * coordinator's current user, who logs in to the shard as the shard's own user.
 */
public final class ForeignShards {

    private ForeignShards() {
    }

    /**
     * A foreign server {@code serverName} on {@code coordinator} for {@code shard}. Every backend's
     * servers of one lab reach each other at the address clients use (embedded processes and
     * host-network containers listen on this machine's loopback; external servers at their URL's host).
     */
    public static void attach(Postgres coordinator, String serverName, Postgres shard) {
        attach(coordinator, serverName, shard, shard.host(), shard.port());
    }

    /**
     * As {@link #attach(Postgres, String, Postgres)}, but the coordinator connects to {@code host}:{@code port}
     * (for example a network link in front of the shard) and logs in with the shard's credentials.
     */
    public static void attach(Postgres coordinator, String serverName, Postgres shard, String host, int port) {
        checkName(serverName);
        coordinator.execute("create extension if not exists postgres_fdw");
        coordinator.execute("create server " + serverName + " foreign data wrapper postgres_fdw options (host "
                + literal(host) + ", port " + literal(String.valueOf(port)) + ", dbname " + literal(shard.database()) + ")");
        coordinator.execute("create user mapping for current_user server " + serverName + " options (user "
                + literal(shard.user()) + ", password " + literal(shard.password()) + ")");
    }

    /**
     * Points an existing foreign server at another address (a link in front of the shard, or back
     * at the shard). postgres_fdw drops its cached connections to that server when the options
     * change, so the next query connects to the new address.
     */
    public static void pointAt(Postgres coordinator, String serverName, String host, int port) {
        checkName(serverName);
        coordinator.execute("alter server " + serverName + " options (set host " + literal(host)
                + ", set port " + literal(String.valueOf(port)) + ")");
    }

    /** Removes the foreign server, its user mappings and every foreign table on it. */
    public static void detach(Postgres coordinator, String serverName) {
        checkName(serverName);
        coordinator.execute("drop server if exists " + serverName + " cascade");
    }

    private static void checkName(String serverName) {
        if (serverName == null || !serverName.matches("[a-z_][a-z0-9_]*")) {
            throw new IllegalArgumentException("a foreign server name is a plain lower-case SQL identifier"
                    + " such as shard0, was: " + serverName);
        }
    }

    private static String literal(String value) {
        return "'" + String.valueOf(value).replace("'", "''") + "'";
    }
}
