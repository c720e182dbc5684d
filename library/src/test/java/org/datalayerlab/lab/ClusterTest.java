package org.datalayerlab.lab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLWarning;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Streaming replication on embedded servers: replicas, sync modes, add, crash, promote. */
class ClusterTest {

    static final Duration TIMEOUT = Duration.ofSeconds(30);

    @Test
    void replicasStreamAndAreReadOnly() {
        try (Lab lab = Lab.start("embedded")) {
            Cluster c = lab.cluster(2);
            assertEquals(2, c.replicas().size());
            c.primary().execute("create table t(id int primary key); insert into t values (1), (2), (3)");
            c.awaitReplicas(TIMEOUT);
            for (Postgres r : c.replicas()) {
                assertTrue(r.isReplica());
                assertEquals(3, r.queryLong("select count(*) from t"));
                assertThrows(LabException.class, () -> r.execute("insert into t values (4)"));
            }
            assertFalse(c.primary().isReplica());
            assertEquals(List.of("replica1", "replica2"),
                    c.primary().queryStrings("select application_name from pg_stat_replication where state = 'streaming' order by 1"));
            assertEquals(List.of("replica1", "replica2"),
                    c.primary().queryStrings("select slot_name from pg_replication_slots where active order by 1"));
            assertEquals(2, Replication.status(c.primary()).rowCount());
            assertTrue(Replication.timeToVisible(c.primary(), c.replica(0), TIMEOUT).compareTo(TIMEOUT) < 0);
            assertEquals("on", c.replica(0).show("fsync"));
        }
    }

    @Test
    void synchronousAnyOneWithRemoteApplyHasNoStaleReads() {
        try (Lab lab = Lab.start("embedded")) {
            Cluster c = lab.cluster(ClusterSpec.replicas(2).synchronous("ANY 1").synchronousCommit("remote_apply"));
            assertEquals("ANY 1 (*)", c.primary().show("synchronous_standby_names"));
            assertEquals("remote_apply", c.primary().show("synchronous_commit"));
            assertEquals(List.of("quorum", "quorum"),
                    c.primary().queryStrings("select sync_state from pg_stat_replication order by application_name"));
            // FIRST 2 with remote_apply: every commit is applied on both replicas before it returns
            c.primary().set("synchronous_standby_names", "FIRST 2 (*)");
            assertEquals(0, Replication.staleReads(c.primary(), c.replica(0), 50));
            assertEquals(0, Replication.staleReads(c.primary(), c.replica(1), 50));
        }
    }

    @Test
    void syncCommitWaitsForTheStandby() throws Exception {
        try (Lab lab = Lab.start("embedded")) {
            Cluster c = lab.cluster(ClusterSpec.replicas(1).synchronous("FIRST 1"));
            assertEquals("sync", c.primary().queryString("select sync_state from pg_stat_replication"));
            c.primary().execute("create table t(id int)");
            c.replica(0).stop();
            // with its only synchronous standby gone, a commit waits (synchronous_commit=on) until cancelled ...
            try (Connection conn = c.primary().connect(); Statement s = conn.createStatement()) {
                s.setQueryTimeout(1);
                long t0 = System.nanoTime();
                s.execute("insert into t values (1)");
                assertTrue(System.nanoTime() - t0 >= 900_000_000L, "the commit waited for the standby");
                SQLWarning w = s.getWarnings();
                assertTrue(w != null && w.getMessage().contains("synchronous replication"), String.valueOf(w));
                // ... while synchronous_commit=local does not wait for it
                s.execute("set synchronous_commit = local");
                s.clearWarnings();
                s.execute("insert into t values (2)");
                assertEquals(null, s.getWarnings());
            }
            c.replica(0).start();
            c.awaitReplicas(TIMEOUT);
            // the cancelled insert was already committed locally: PostgreSQL warns, it does not roll back
            assertEquals(2, c.replica(0).queryLong("select count(*) from t"));
        }
    }

    @Test
    void addReplicaToRunningPrimaryUnderWrites() {
        try (Lab lab = Lab.start("embedded")) {
            Cluster c = lab.cluster(0);
            Postgres p = c.primary();
            p.execute("create table t(id serial primary key, v text); insert into t(v) select 'x' from generate_series(1, 5000)");
            Postgres r = c.addReplica(Settings.of("recovery_min_apply_delay", "0"));
            p.execute("insert into t(v) select 'y' from generate_series(1, 100)");
            c.awaitReplicas(TIMEOUT);
            assertEquals(5100, r.queryLong("select count(*) from t"));
            assertEquals("replica1", r.name());
        }
    }

    @Test
    void kill9AndRestartReplica() {
        try (Lab lab = Lab.start("embedded")) {
            Cluster c = lab.cluster(2);
            Postgres p = c.primary();
            p.execute("create table t(id int)");
            c.replica(1).kill9();
            assertFalse(c.replica(1).isRunning());
            p.execute("insert into t select generate_series(1, 1000)");
            c.replica(1).start();
            c.awaitReplicas(TIMEOUT);
            assertEquals(1000, c.replica(1).queryLong("select count(*) from t"));
            // a crashed primary recovers too, and its replicas reconnect
            p.kill9();
            p.start();
            p.execute("insert into t values (0)");
            c.awaitReplicas(TIMEOUT);
            assertEquals(1001, c.replica(0).queryLong("select count(*) from t"));
        }
    }

    @Test
    void promoteRepointsTheOtherReplicas() {
        try (Lab lab = Lab.start("embedded")) {
            Cluster c = lab.cluster(2);
            Postgres old = c.primary();
            old.execute("create table t(id int); insert into t values (1)");
            c.awaitReplicas(TIMEOUT);
            old.stop();
            Postgres promoted = c.promote(c.replica(0));
            assertEquals(promoted, c.primary());
            assertFalse(promoted.isReplica());
            assertEquals(1, c.replicas().size());
            promoted.execute("insert into t values (2)");
            c.awaitReplicas(TIMEOUT);
            assertEquals(2, c.replica(0).queryLong("select count(*) from t"));
            assertEquals(List.of("replica2"), promoted.queryStrings("select application_name from pg_stat_replication"));
            // the new primary can grow replicas of its own
            Postgres fresh = c.addReplica();
            c.awaitReplicas(TIMEOUT);
            assertEquals(2, fresh.queryLong("select count(*) from t"));
        }
    }

    @Test
    void replicaApplyDelayMakesReadsStale() {
        try (Lab lab = Lab.start("embedded")) {
            Cluster c = lab.cluster(ClusterSpec.replicas(1).replicaSettings(Settings.of("recovery_min_apply_delay", "300ms")));
            assertEquals("300ms", c.replica(0).show("recovery_min_apply_delay"));
            assertTrue(Replication.staleRead(c.primary(), c.replica(0)));
            c.replica(0).set("recovery_min_apply_delay", "0");
            Replication.awaitReplay(c.primary(), c.replica(0), TIMEOUT);
            // the wait-for-LSN fix: read after the replica has applied the write's position
            c.primary().execute("insert into " + Replication.PROBE_TABLE + "(id) values (42)");
            long lsn = Replication.walPosition(c.primary());
            assertTrue(Replication.awaitLsn(c.replica(0), lsn, TIMEOUT));
            assertEquals(1, c.replica(0).queryLong("select count(*) from " + Replication.PROBE_TABLE + " where id = 42"));
            assertTrue(Replication.lagBytes(c.primary(), c.replica(0)) >= 0);
        }
    }

    @Test
    void logicalSlotAndPublication() {
        try (Lab lab = Lab.start("embedded")) {
            Postgres pg = lab.postgres(Settings.of("wal_level", "logical"));
            pg.execute("create table orders(id int primary key, total int)");
            Replication.createPublication(pg, "orders_pub", "orders");
            Replication.createLogicalSlot(pg, "cdc", "test_decoding");
            pg.execute("insert into orders values (1, 10)");
            assertTrue(Replication.retainedWalBytes(pg, "cdc") > 0);
            List<String> changes = pg.queryStrings("select data from pg_logical_slot_get_changes('cdc', null, null)");
            assertTrue(changes.stream().anyMatch(d -> d.contains("INSERT") && d.contains("total[integer]:10")), changes.toString());
            assertEquals(List.of("orders_pub"), pg.queryStrings("select pubname from pg_publication"));
            Replication.dropSlot(pg, "cdc");
            assertEquals(0, pg.queryLong("select count(*) from pg_replication_slots"));
            Postgres plain = lab.postgres();
            LabException e = assertThrows(LabException.class, () -> Replication.createLogicalSlot(plain, "s", "pgoutput"));
            assertTrue(e.getMessage().contains("wal_level"));
        }
    }

    @Test
    void independentServersForSharding() {
        try (Lab lab = Lab.start("embedded")) {
            List<Postgres> shards = lab.servers(3);
            assertEquals(3, shards.stream().map(Postgres::port).distinct().count());
            for (int i = 0; i < shards.size(); i++) {
                shards.get(i).execute("create table k(id int); insert into k values (" + i + ")");
            }
            assertEquals(2, shards.get(2).queryLong("select id from k"));
        }
    }
}
