package org.datalayerlab.lab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import org.datalayerlab.lab.net.NetworkLink;
import org.junit.jupiter.api.Test;

/** A replica whose replication connection goes through a delaying link: synchronous commits pay its round trip. */
class ReplicationLinkTest {

    @Test
    void synchronousCommitsPayTheLinksRoundTrip() throws Exception {
        try (Lab lab = Lab.start("embedded")) {
            Cluster c = lab.cluster(ClusterSpec.replicas(1).synchronous("FIRST 1"));
            Postgres p = c.primary();
            NetworkLink link = c.replicationLink(c.replica(0)).delay(Duration.ofMillis(30), Duration.ZERO);
            assertEquals(Integer.toString(link.port()), c.replica(0).queryString("select sender_port from pg_stat_wal_receiver"));
            assertEquals("sync", p.queryString("select sync_state from pg_stat_replication"));
            p.execute("create table t(id int)");
            try (Connection conn = p.connect(); Statement s = conn.createStatement()) {
                double sync = medianInsertMillis(s, 9);
                s.execute("set synchronous_commit = local");
                double local = medianInsertMillis(s, 9);
                assertTrue(sync >= 28, "a synchronous commit waits for the standby across the 30 ms link, took " + sync + " ms");
                assertTrue(local < 20, "a local commit does not wait for the standby, took " + local + " ms");
            }
            c.awaitReplicas(Duration.ofSeconds(30));
            assertEquals(18, c.replica(0).queryLong("select count(*) from t"));
            link.delay(Duration.ZERO, Duration.ZERO);
        }
    }

    @Test
    void aSlowLinkShowsAsLagInBytesAndInTime() throws Exception {
        try (Lab lab = Lab.start("embedded")) {
            Cluster c = lab.cluster(1);
            Postgres p = c.primary();
            c.replicationLink(c.replica(0)).bandwidth(500_000);
            p.execute("create table t(id int, v text)");
            c.awaitReplicas(Duration.ofSeconds(30));
            p.execute("insert into t select i, repeat('x', 500) from generate_series(1, 4000) i"); // ~2.5 MB of WAL
            assertTrue(Replication.lagBytes(p, c.replica(0)) > 1_000_000, "the replica is behind by the burst");
            long maxLagMillis = 0;
            for (int i = 0; i < 20; i++) {
                maxLagMillis = Math.max(maxLagMillis, Replication.replayLag(p, c.replica(0)).toMillis());
                Thread.sleep(100);
            }
            assertTrue(maxLagMillis >= 300, "replay_lag grows while the backlog drains at 0.5 MB/s, max " + maxLagMillis + " ms");
            c.awaitReplicas(Duration.ofSeconds(30));
            assertEquals(0, Replication.lagBytes(p, c.replica(0)));
            LabException e = assertThrows(LabException.class, () -> Replication.replayLag(c.replica(0), c.replica(0)));
            assertTrue(e.getMessage().contains("no standby named replica1"), e.getMessage());
        }
    }

    @Test
    void onlyReplicasOfTheClusterCanBeLinked() {
        try (Lab lab = Lab.start("embedded")) {
            Cluster c = lab.cluster(1);
            LabException e = assertThrows(LabException.class, () -> c.replicationLink(c.primary()));
            assertTrue(e.getMessage().contains("not a replica of this cluster"), e.getMessage());
        }
    }

    private static double medianInsertMillis(Statement s, int n) throws Exception {
        double[] ms = new double[n];
        for (int i = 0; i < n; i++) {
            long t0 = System.nanoTime();
            s.execute("insert into t values (" + i + ")");
            ms[i] = (System.nanoTime() - t0) / 1e6;
        }
        java.util.Arrays.sort(ms);
        return ms[n / 2];
    }
}
