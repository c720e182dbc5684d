package org.datalayerlab.lab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.zaxxer.hikari.HikariDataSource;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Properties;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** One embedded server: PostgreSQL's defaults, SCRAM on TCP, loopback only, settings, life cycle. */
class SingleServerTest {

    static Lab lab;
    static Postgres pg;

    @BeforeAll
    static void start() {
        lab = Lab.start("embedded");
        pg = lab.postgres();
    }

    @AfterAll
    static void stop() {
        lab.close();
    }

    @Test
    void postgresDefaultsAreRestored() {
        assertEquals("on", pg.show("fsync"));
        assertEquals("on", pg.show("synchronous_commit"));
        assertEquals("on", pg.show("full_page_writes"));
        assertTrue(pg.queryString("select version()").startsWith("PostgreSQL 17"));
    }

    @Test
    void listensOnIpv4LoopbackOnly() throws Exception {
        assertEquals("127.0.0.1", pg.show("listen_addresses"));
        assertEquals("", pg.show("unix_socket_directories"));
        // nothing on IPv6 loopback at the same port
        assertThrows(java.io.IOException.class, () -> {
            try (Socket s = new Socket(InetAddress.getByName("::1"), pg.port())) {
                s.getInputStream();
            }
        });
    }

    @Test
    void passwordIsRequiredAndScram() throws Exception {
        assertEquals("scram-sha-256", pg.show("password_encryption"));
        assertTrue(pg.queryString("select rolpassword from pg_authid where rolname = 'postgres'").startsWith("SCRAM-SHA-256$"));
        Properties wrong = new Properties();
        wrong.setProperty("user", pg.user());
        wrong.setProperty("password", "not-the-password");
        SQLException e = assertThrows(SQLException.class, () -> DriverManager.getConnection(pg.jdbcUrl(), wrong).close());
        assertTrue(e.getMessage().contains("password authentication failed"), e.getMessage());
        Properties none = new Properties();
        none.setProperty("user", pg.user());
        assertThrows(SQLException.class, () -> DriverManager.getConnection(pg.jdbcUrl(), none).close());
        assertTrue(pg.password().length() >= 20);
    }

    @Test
    void jdbcHelpersAndPool() throws Exception {
        pg.execute("create table if not exists helpers(id int primary key, v text)");
        pg.execute("insert into helpers values (1, 'a'), (2, 'b') on conflict do nothing");
        assertEquals(2, pg.queryLong("select count(*) from helpers"));
        assertEquals("b", pg.queryString("select v from helpers where id = 2"));
        assertTrue(pg.dataSource() instanceof HikariDataSource);
        try (Connection c = pg.dataSource().getConnection()) {
            assertTrue(c.isValid(2));
        }
        LabException bad = assertThrows(LabException.class, () -> pg.execute("select * from no_such_table"));
        assertTrue(bad.getMessage().contains("no_such_table"));
    }

    @Test
    void reloadableSettingTakesEffectWithoutRestart() {
        long pid = pg.pid();
        assertFalse(pg.set("work_mem", "8MB"));
        assertEquals("8MB", pg.show("work_mem"));
        assertEquals(pid, pg.pid());
    }

    @Test
    void restartSettingRestarts() {
        try (Lab own = Lab.start("embedded")) {
            Postgres p = own.postgres();
            long pid = p.pid();
            assertTrue(p.set("max_connections", "30"));
            assertEquals("30", p.show("max_connections"));
            assertNotEquals(pid, p.pid());
        }
    }

    @Test
    void settingsAtCreation() {
        try (Lab own = Lab.start("embedded")) {
            Postgres p = own.postgres(Settings.of("max_connections", "20", "max_prepared_transactions", "5",
                    "wal_level", "logical"));
            assertEquals("20", p.show("max_connections"));
            assertEquals("5", p.show("max_prepared_transactions"));
            assertEquals("logical", p.show("wal_level"));
        }
    }

    @Test
    void stopStartKill9AndCloseRemovesFiles() throws Exception {
        Path dataDir;
        try (Lab own = Lab.start("embedded")) {
            Postgres p = own.postgres();
            p.execute("create table t(id int); insert into t values (1)");
            p.stop();
            assertFalse(p.isRunning());
            p.start();
            assertEquals(1, p.queryLong("select count(*) from t"));
            long pid = p.pid();
            p.kill9();
            assertFalse(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false));
            p.start();
            assertEquals(1, p.queryLong("select count(*) from t"), "committed row survives the crash");
            dataDir = Path.of(p.queryString("show data_directory"));
            assertTrue(Files.exists(dataDir));
        }
        assertFalse(Files.exists(dataDir), "close() removes the data directory");
    }

    @Test
    void badSettingsGetClearErrors() {
        assertThrows(IllegalArgumentException.class, () -> Settings.of("max_connections"));
        assertThrows(IllegalArgumentException.class, () -> pg.set("x; drop table t", "1"));
        LabException e = assertThrows(LabException.class, () -> pg.set("no_such_parameter", "1"));
        assertTrue(e.getMessage().contains("no parameter named"));
    }
}
