package org.datalayerlab.lab.server;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import javax.sql.DataSource;
import org.datalayerlab.lab.LabException;
import org.datalayerlab.lab.Postgres;
import org.datalayerlab.lab.Settings;

/** The JDBC side every backend shares: URLs, pools, one-line queries, ALTER SYSTEM. */
public abstract class JdbcServer implements Postgres {

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
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (System.nanoTime() < deadline) {
            String now = queryString("select pg_conf_load_time()::text");
            if (!before.equals(now)) {
                return;
            }
            sleep(2);
        }
        throw new LabException(name() + ": configuration reload did not happen within 5 s");
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LabException("interrupted", e);
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
