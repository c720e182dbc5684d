package org.datalayerlab.lab.testsupport;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

import java.io.IOException;
import java.io.UncheckedIOException;
import javax.sql.DataSource;

/**
 * One embedded PostgreSQL server shared by the tests of this JVM (started on first use,
 * stopped at JVM exit). Note: zonky starts it with fsync=off and synchronous_commit=off;
 * fine for driver and proxy tests, which do not depend on durability.
 */
public final class TestPostgres {

    private static EmbeddedPostgres server;

    private TestPostgres() {
    }

    public static synchronized EmbeddedPostgres server() {
        if (server == null) {
            try {
                server = EmbeddedPostgres.builder()
                        .setServerConfig("listen_addresses", "127.0.0.1")
                        .setServerConfig("max_connections", "100")
                        .start();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            EmbeddedPostgres s = server;
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try {
                    s.close();
                } catch (IOException ignored) {
                    // JVM is exiting
                }
            }));
        }
        return server;
    }

    public static DataSource dataSource() {
        return server().getPostgresDatabase();
    }

    public static int port() {
        return server().getPort();
    }

    /** JDBC URL of database postgres, user postgres (trust authentication), through any host and port. */
    public static String jdbcUrl(String host, int port) {
        return "jdbc:postgresql://" + host + ":" + port + "/postgres?user=postgres";
    }
}
