package org.datalayerlab.lab.server;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import javax.sql.DataSource;
import org.datalayerlab.lab.LabException;
import org.datalayerlab.lab.Lsn;
import org.datalayerlab.lab.Postgres;
import org.datalayerlab.lab.Settings;
import org.datalayerlab.lab.Wait;

/** The JDBC side every backend shares: URLs, pools, one-line queries, ALTER SYSTEM, WAL positions. */
public abstract class JdbcServer implements Postgres {

    private static final Duration REPLAY_POLL = Duration.ofNanos(200_000);

    private final List<HikariDataSource> pools = new ArrayList<>();
    private HikariDataSource defaultPool;

    @Override
    public String database() {
        return "postgres";
    }

    @Override
    public synchronized DataSource dataSource() {
        if (defaultPool == null || defaultPool.isClosed()) {
            defaultPool = newPool(10);
        }
        return defaultPool;
    }

    @Override
    public synchronized DataSource dataSource(int maxPoolSize) {
        if (maxPoolSize < 1) {
            throw new IllegalArgumentException("a pool needs at least 1 connection, got " + maxPoolSize);
        }
        return newPool(maxPoolSize);
    }

    private HikariDataSource newPool(int size) {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(jdbcUrl());
        config.setUsername(user());
        config.setPassword(password());
        config.setMaximumPoolSize(size);
        config.setMinimumIdle(0);
        // fail fast instead of waiting 30 s when a lesson has stopped the server
        config.setConnectionTimeout(5_000);
        // do not connect at construction: a pool on a stopped server is still a valid object
        config.setInitializationFailTimeout(-1);
        config.setPoolName(name() + "-pool-" + (pools.size() + 1));
        HikariDataSource pool = new HikariDataSource(config);
        pools.add(pool);
        return pool;
    }

    /** Closes every pool made for this server (their connections would be broken anyway). */
    protected synchronized void closePools() {
        for (HikariDataSource p : pools) {
            p.close();
        }
        pools.clear();
        defaultPool = null;
    }

    @Override
    public Connection connect() throws SQLException {
        Properties p = new Properties();
        p.setProperty("user", user());
        p.setProperty("password", password());
        p.setProperty("connectTimeout", "10");
        return DriverManager.getConnection(jdbcUrl(), p);
    }

    @Override
    public int execute(String sql) {
        try (Connection c = connect(); Statement s = c.createStatement()) {
            s.execute(sql);
            int count = s.getUpdateCount();
            return Math.max(count, 0);
        } catch (SQLException e) {
            throw sqlFailed(sql, e);
        }
    }

    @Override
    public long queryLong(String sql) {
        String v = queryString(sql);
        if (v == null) {
            throw new LabException(name() + ": query returned no value (no row or NULL): " + sql);
        }
        try {
            return Long.parseLong(v.trim());
        } catch (NumberFormatException e) {
            throw new LabException(name() + ": query returned '" + v + "', not a whole number: " + sql);
        }
    }

    @Override
    public String queryString(String sql) {
        List<String> rows = queryStrings(sql);
        return rows.isEmpty() ? null : rows.get(0);
    }

    @Override
    public List<String> queryStrings(String sql) {
        try (Connection c = connect(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            List<String> out = new ArrayList<>();
            while (rs.next()) {
                out.add(rs.getString(1));
            }
            return out;
        } catch (SQLException e) {
            throw sqlFailed(sql, e);
        }
    }

    protected LabException sqlFailed(String sql, SQLException e) {
        return new LabException(name() + " (" + jdbcUrl() + "): " + e.getMessage() + "\n  while running: " + sql, e);
    }

    @Override
    public boolean set(String name, String value) {
        Settings.checkName(name);
        String context = queryString("select context from pg_settings where name = '" + name + "'");
        if (context == null) {
            throw new LabException(name() + ": PostgreSQL has no parameter named '" + name + "'");
        }
        execute("alter system set " + name + " = " + Settings.quote(value));
        if ("postmaster".equals(context)) {
            restartToApply(name);
            return true;
        }
        reload();
        return false;
    }

    /**
     * Reloads the configuration and waits until new sessions see it: pg_reload_conf() only
     * signals the postmaster, which re-reads the files a moment later.
     */
    public void reload() {
        String before = queryString("select pg_conf_load_time()::text");
        execute("select pg_reload_conf()");
        Wait.upTo(Duration.ofSeconds(5)).every(Duration.ofMillis(2))
                .until(() -> !before.equals(queryString("select pg_conf_load_time()::text")),
                        () -> name() + ": configuration reload did not happen");
    }

    // --- WAL positions ---------------------------------------------------------------------------

    @Override
    public long walPosition() {
        return Lsn.parse(queryPooled("select pg_current_wal_lsn()::text"));
    }

    @Override
    public long replayPosition() {
        return Lsn.parse(queryPooled("select pg_last_wal_replay_lsn()::text"));
    }

    @Override
    public long receivePosition() {
        return Lsn.parse(queryPooled("select pg_last_wal_receive_lsn()::text"));
    }

    /** Polls pg_last_wal_replay_lsn() every 0.2 ms on one pooled session. */
    @Override
    public boolean awaitReplay(long position, Duration timeout) {
        try (Connection c = dataSource().getConnection();
             PreparedStatement s = c.prepareStatement("select pg_last_wal_replay_lsn() >= ?::pg_lsn")) {
            s.setString(1, Lsn.format(position));
            return Wait.upTo(timeout).every(REPLAY_POLL).check(() -> {
                try (ResultSet rs = s.executeQuery()) {
                    return rs.next() && rs.getBoolean(1);
                }
            });
        } catch (SQLException e) {
            throw new LabException(name() + ": could not read its replay position: " + e.getMessage(), e);
        }
    }

    /**
     * One value from a connection of the server's own pool: a sampler reads positions every few
     * ms, and a new connection costs several ms of authentication and a server process each time.
     */
    private String queryPooled(String sql) {
        try (Connection c = dataSource().getConnection(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            return rs.next() ? rs.getString(1) : null;
        } catch (SQLException e) {
            throw new LabException(name() + ": " + sql + ": " + e.getMessage(), e);
        }
    }

    /** Applies a parameter that needs a restart; backends that cannot restart a server say so. */
    protected void restartToApply(String parameter) {
        restart();
    }

    @Override
    public String toString() {
        return name() + " " + jdbcUrl();
    }
}
