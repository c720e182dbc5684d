package org.datalayerlab.lab;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import javax.sql.DataSource;

/**
 * One PostgreSQL server a notebook talks to: connection details, a pooled DataSource, a few
 * one-line query helpers, configuration and (where the backend controls the process) its life
 * cycle. Errors from SQL come back as unchecked {@link LabException}s so notebook cells stay short.
 */
public interface Postgres extends AutoCloseable {

    /** A short name: "pg1", "primary", "replica2" (the replica's application_name). */
    String name();

    String host();

    /** The port clients connect to. */
    int port();

    String user();

    String password();

    /** The default database, "postgres". */
    String database();

    /** {@code jdbc:postgresql://127.0.0.1:PORT/postgres}; user and password are separate. */
    default String jdbcUrl() {
        return jdbcUrl(database());
    }

    default String jdbcUrl(String database) {
        return "jdbc:postgresql://" + host() + ":" + port() + "/" + database;
    }

    /**
     * {@code ds}, one of pgjdbc's own data sources (simple, XA), pointed at this server and logging
     * in as its user, for what a pool does not give: XA, pgjdbc's options, a schema. Unpooled.
     */
    default <T extends org.postgresql.ds.common.BaseDataSource> T unpooled(T ds) {
        ds.setServerNames(new String[] {host()});
        ds.setPortNumbers(new int[] {port()});
        ds.setDatabaseName(database());
        ds.setUser(user());
        ds.setPassword(password());
        return ds;
    }

    /** A HikariCP pool for this server (created on first use, closed when the server stops; default size 10). */
    DataSource dataSource();

    /** A new HikariCP pool of the given size; closed when the server stops or the lab closes. */
    DataSource dataSource(int maxPoolSize);

    /** A new, unpooled connection (the caller closes it). */
    Connection connect() throws SQLException;

    /** Runs one or more statements (no results); returns the update count of the last. */
    int execute(String sql);

    /** The first column of the first row as a long (e.g. {@code select count(*) from t}). */
    long queryLong(String sql);

    /** The first column of the first row as text, or null. */
    String queryString(String sql);

    /** The first column of every row as text. */
    List<String> queryStrings(String sql);

    /**
     * Runs one SQL statement (with {@code ?} parameters) on a pooled connection and returns what
     * it returned as a Tablesaw table, shown as HTML in a notebook:
     * {@code server.sql("select * from pg_stat_activity where state = ?", "active")}. A statement
     * without rows (INSERT, CREATE ...) gives a one-row table with the count of rows it changed.
     */
    default tech.tablesaw.api.Table sql(String sql, Object... parameters) {
        return SqlTable.run(this, sql, parameters);
    }

    /**
     * A TCP path to this server that can be delayed, throttled or cut while traffic flows (the
     * same as {@code lab.link(server)}): connect through {@code link.host()}, {@code link.port()}.
     * Closed with the lab that made the server.
     */
    default org.datalayerlab.lab.net.NetworkLink link() {
        return Lab.linkTo(this);
    }

    /** {@code SHOW name}. */
    default String show(String name) {
        Settings.checkName(name);
        return queryString("show " + name);
    }

    /**
     * Changes a parameter with ALTER SYSTEM and reloads the configuration; parameters that
     * only take effect at start (context "postmaster", e.g. max_connections) restart the server.
     *
     * @return true if the server was restarted to apply it
     */
    boolean set(String name, String value);

    /** true while the server accepts connections (for a replica: in recovery, read-only). */
    boolean isRunning();

    /** true if the server is a standby ({@code pg_is_in_recovery()}). */
    default boolean isReplica() {
        return "t".equals(queryString("select pg_is_in_recovery()"));
    }

    /** Its current WAL write position ({@code pg_current_wal_lsn()}, a primary's): a byte offset, see {@link Lsn}. */
    long walPosition();

    /** How far this standby has replayed (applied) WAL ({@code pg_last_wal_replay_lsn()}). */
    long replayPosition();

    /** How far this standby has received and flushed WAL ({@code pg_last_wal_receive_lsn()}). */
    long receivePosition();

    /**
     * Waits until this standby has replayed {@code position} (e.g. the primary's
     * {@link #walPosition()} right after a write): the wait-for-LSN fix for read-your-writes.
     *
     * @return true if it got there within {@code timeout}
     */
    boolean awaitReplay(long position, java.time.Duration timeout);

    /** Starts a stopped server and waits until it accepts connections. */
    void start();

    /** Fast shutdown: rolls back open transactions, closes connections, writes a checkpoint. */
    void stop();

    default void restart() {
        stop();
        start();
    }

    /**
     * Stops the server if it runs (try-with-resources in a cell); {@link #start()} brings it back
     * until the lab closes. A server the lab does not control (external backend) only closes its pools.
     */
    @Override
    default void close() {
        if (isRunning()) {
            stop();
        }
    }

    /** Crashes the server: SIGKILL to the postmaster and all its processes. {@link #start()} recovers it. */
    void kill9();

    /** The postmaster's process id, or -1 when not running or not known. */
    long pid();
}
