package org.datalayerlab.lab.server.containers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import org.datalayerlab.lab.Cluster;
import org.datalayerlab.lab.ClusterSpec;
import org.datalayerlab.lab.Lab;
import org.datalayerlab.lab.Postgres;
import org.datalayerlab.lab.net.NetworkLink;
import org.datalayerlab.lab.server.DockerProbe;
import org.datalayerlab.lab.server.Reaper;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The containers backend on a real Docker engine with a PostgreSQL image (CI: containers/engine
 * and containers/build-images, LAB_POSTGRES_IMAGE=datalayerlab/postgres:17). Skipped where no
 * engine with the image answers.
 */
class ContainersOnDockerTest {

    static String dockerHost;

    @BeforeAll
    static void engineWithImage() {
        dockerHost = readyEngine();
    }

    /** The engine's address; skips the calling test class where none with the image answers. */
    static String readyEngine() {
        DockerProbe.Result d = DockerProbe.probe(System.getenv());
        assumeTrue(d.ready(), "no Docker engine with the PostgreSQL image: " + d.where() + " " + d.problem());
        return d.dockerHost();
    }

    @Test
    void aServerListensOnTheLoopbackOnlyWantsAPasswordAndIsLabelled() throws Exception {
        try (Lab lab = Lab.start("containers")) {
            Postgres pg = lab.postgres();
            assertEquals("127.0.0.1", pg.host());
            assertEquals("127.0.0.1", pg.show("listen_addresses"));
            assertEquals(Integer.toString(pg.port()), pg.show("port"));
            // PostgreSQL's own defaults, not Testcontainers' module's fsync=off
            assertEquals("on", pg.show("fsync"));
            assertEquals("on", pg.show("synchronous_commit"));
            assertTrue(pg.password().matches("[a-z0-9]{24}"), "generated password");
            SQLException refused = assertThrows(SQLException.class,
                    () -> DriverManager.getConnection(pg.jdbcUrl(), pg.user(), "wrong").close());
            assertTrue(refused.getMessage().contains("password authentication failed"), refused.getMessage());
            List<String[]> mine = LabContainers.list(dockerHost).stream().filter(c -> c[1].equals(Reaper.jvmId())).toList();
            assertEquals(1, mine.size(), "one labelled container");
            pg.kill9();
            pg.start();
            assertEquals(1, pg.queryLong("select 1"));
        }
        assertTrue(LabContainers.list(dockerHost).stream().noneMatch(c -> c[1].equals(Reaper.jvmId())), "closing removes it");
    }

    /** Replicas stream; a replication link's delay reaches synchronous commits; promote works. */
    @Test
    void clusterStreamsThroughALinkAndPromotes() {
        try (Lab lab = Lab.start("containers")) {
            Cluster c = lab.cluster(ClusterSpec.replicas(2).synchronous("FIRST 1 (replica1)"));
            Postgres primary = c.primary();
            primary.execute("create table t(id int primary key)");
            long direct = commitNanos(primary, 1, 10);
            NetworkLink link = c.replicationLink(c.replica(0)).delay(Duration.ofMillis(40), Duration.ZERO);
            assertEquals("127.0.0.1", link.host());
            long delayed = commitNanos(primary, 100, 5);
            assertTrue(delayed >= 40_000_000L, "a synchronous commit waits for the delayed standby: " + delayed / 1e6 + " ms");
            assertTrue(delayed > direct, "direct " + direct / 1e6 + " ms vs delayed " + delayed / 1e6 + " ms");
            c.awaitReplicas(Duration.ofSeconds(30));
            assertEquals(15, c.replica(1).queryLong("select count(*) from t"));

            Postgres promoted = c.promote(c.replica(1));
            promoted.execute("insert into t values (1000)");
            assertEquals(16, promoted.queryLong("select count(*) from t"));
        }
    }

    /** The median commit time of {@code n} single-row inserts. */
    private static long commitNanos(Postgres pg, int firstId, int n) {
        long[] t = new long[n];
        for (int i = 0; i < n; i++) {
            long t0 = System.nanoTime();
            pg.execute("insert into t values (" + (firstId + i) + ")");
            t[i] = System.nanoTime() - t0;
        }
        java.util.Arrays.sort(t);
        return t[n / 2];
    }
}
