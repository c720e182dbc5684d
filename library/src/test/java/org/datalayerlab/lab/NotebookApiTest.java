package org.datalayerlab.lab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import org.datalayerlab.lab.net.NetworkLink;
import org.datalayerlab.lab.measure.Result;
import org.datalayerlab.lab.workload.Driver;
import org.datalayerlab.lab.workload.Workload;
import org.junit.jupiter.api.Test;
import tech.tablesaw.api.Table;

/** The verbs a notebook finds by completion on the objects it holds, on real embedded servers. */
class NotebookApiTest {

    @Test
    void aClusterOwnsItsVerbsAndClosesInTryWithResources() {
        try (Lab lab = Lab.start("embedded")) {
            Postgres primary;
            Postgres replica;
            try (Cluster cluster = lab.cluster(1)) {
                primary = cluster.primary();
                replica = cluster.replica(0);
                primary.execute("create table t (id bigserial primary key, payload text)");
                cluster.awaitReplay();
                assertEquals(0, cluster.lag(replica));
                assertEquals(1, cluster.status().rowCount());

                replica.queryString("select pg_wal_replay_pause()");
                long before = primary.walPosition();
                Result inserts = Driver.closedLoop(Workload.sql("insert", primary.dataSource(),
                        "insert into t (payload) select repeat('x', 200) from generate_series(1, 100)")).operations(20).run();
                assertEquals(20, inserts.operations());
                assertEquals(0, inserts.errors());
                assertTrue(primary.walPosition() - before > 20 * 100 * 200, "20 x 100 rows of 200 bytes went into the WAL");
                assertTrue(cluster.lag(replica) > 0, "replay is paused, so the replica is behind");
                assertTrue(replica.receivePosition() > replica.replayPosition(), "received but not replayed");
                replica.queryString("select pg_wal_replay_resume()");
                cluster.awaitReplay();
                assertEquals(0, cluster.lag(replica));
                assertTrue(cluster.replayLag(replica).compareTo(Duration.ofSeconds(30)) < 0);
                assertTrue(cluster.timeToVisible(replica).compareTo(Duration.ofSeconds(10)) < 0);
                replica.set("recovery_min_apply_delay", "200ms"); // every read right after a write is stale
                assertEquals(5, cluster.readAfterWrite(replica).attempts(5).run().stale());
                replica.set("recovery_min_apply_delay", "0");

                Table rows = replica.sql("select count(*) as n, max(length(payload)) as len from t where id > ?", 0);
                assertEquals(java.util.List.of("n", "len"), rows.columnNames());
                assertEquals(2000L, ((Number) rows.get(0, 0)).longValue());
                assertEquals(3L, primary.sql("insert into t (payload) values ('a'), ('b'), ('c')").longColumn("rows changed").get(0));
            }
            assertFalse(primary.isRunning(), "closing the cluster stops its primary");
            assertFalse(replica.isRunning(), "and its replicas");
            primary.start(); // until the lab closes, a stopped server can come back
            assertEquals(2003, primary.queryLong("select count(*) from t"));
        }
    }

    @Test
    void aServerMakesItsOwnLinkWhileItsLabIsOpen() throws Exception {
        Postgres server;
        try (Lab lab = Lab.start("embedded")) {
            server = lab.postgres();
            NetworkLink link = server.link().delay(Duration.ofMillis(40), Duration.ZERO);
            try (Connection c = DriverManager.getConnection("jdbc:postgresql://" + link.host() + ":" + link.port() + "/postgres",
                    server.user(), server.password()); Statement st = c.createStatement()) {
                st.execute("select 1"); // connected; now time one round trip through the link
                long t0 = System.nanoTime();
                st.execute("select 1");
                assertTrue(System.nanoTime() - t0 >= 38_000_000L, "a query through the link pays its 40 ms round trip");
            }
        }
        LabException e = assertThrows(LabException.class, server::link);
        assertTrue(e.getMessage().contains("no open lab made this server"), e.getMessage());
    }
}
