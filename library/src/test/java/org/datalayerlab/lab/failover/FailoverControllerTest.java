package org.datalayerlab.lab.failover;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import org.datalayerlab.lab.Cluster;
import org.datalayerlab.lab.Lab;
import org.datalayerlab.lab.LabException;
import org.datalayerlab.lab.Postgres;
import org.datalayerlab.lab.net.NetworkLink;
import org.junit.jupiter.api.Test;

/** The failover controller, lease agent and epoch fence on real embedded servers. */
class FailoverControllerTest {

    static final Duration TIMEOUT = Duration.ofSeconds(30);
    static final String TABLE = "create table writes (id bigint primary key, writer text, epoch bigint)";

    /** A HikariCP pool over pgjdbc's multi-host URL that finds the primary among {@code servers}. */
    static HikariDataSource primaryPool(Lab lab, List<String> hostPorts, Postgres any) {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl("jdbc:postgresql://" + String.join(",", hostPorts) + "/postgres?targetServerType=primary&hostRecheckSeconds=1"
                + "&connectTimeout=2&socketTimeout=5");
        config.setUsername(any.user());
        config.setPassword(any.password());
        config.setMaximumPoolSize(4);
        config.setConnectionTimeout(250);
        config.setInitializationFailTimeout(-1);
        return lab.closeLater(new HikariDataSource(config));
    }

    static List<String> hostsOf(Cluster c) {
        return c.servers().stream().map(s -> s.host() + ":" + s.port()).toList();
    }

    @Test
    void promotesTheMostAdvancedReplicaAfterMissedChecksAndClientsFollow() throws Exception {
        try (Lab lab = Lab.start("embedded")) {
            Cluster c = lab.cluster(2);
            Postgres old = c.primary();
            old.execute(TABLE);
            c.awaitReplay();
            // replica1 stops receiving WAL: replica2 is the most advanced
            NetworkLink cut = c.replicationLink(c.replica(0));
            cut.partition(NetworkLink.Partition.DROP);
            HikariDataSource pool = primaryPool(lab, hostsOf(c), old);
            Writers writers = Writers.into(pool, "writes").threads(2).label("app").start();
            Thread.sleep(300);
            try (FailoverController controller = FailoverController.watch(c).checkEvery(Duration.ofMillis(100)).missedChecks(3).start()) {
                long killed = System.nanoTime();
                old.kill9();
                FailoverController.Failover f = controller.awaitFailover(TIMEOUT);
                Thread.sleep(500);
                WriteLog log = writers.stop();
                System.out.println(f + "\n" + log + ", unavailable " + log.unavailableMillis(killed, f.newPrimary()) + " ms");
                assertEquals("replica2", f.newPrimary().name());
                assertEquals(2, f.epoch());
                assertEquals(2, controller.epoch());
                assertTrue(f.detectionMillis() >= 150, "detection " + f.detectionMillis());
                assertEquals(f.newPrimary(), c.primary());
                assertFalse(c.primary().isReplica());
                assertTrue(log.acknowledgedBy(f.newPrimary()) > 0, log.toString());
                assertTrue(log.unavailableMillis(killed, f.newPrimary()) >= 200, "unavailable " + log.unavailableMillis(killed, f.newPrimary()));
                // asynchronous: a write the old primary acknowledged just before the kill may be lost (not yet
                // sent); one the new primary acknowledged may not
                Postgres now = c.primary();
                java.util.Set<String> held = new java.util.HashSet<>(now.queryStrings("select id::text from writes"));
                assertEquals(0, log.count(w -> w.acknowledged() && w.serverPort() == now.port() && !held.contains(String.valueOf(w.id()))));
                assertTrue(log.lostOn(now, "writes") <= log.acknowledgedBy(old), "only the old primary's acknowledgements can be lost");
            }
        }
    }

    @Test
    void epochFenceRefusesOldAndNewerEpochsAndRemembersTheNewest() {
        try (Lab lab = Lab.start("embedded")) {
            Postgres p = lab.postgres();
            p.execute(TABLE);
            EpochFence.install(p, "writes");
            p.execute("insert into writes values (1, 'a', 1)");
            LabException newer = assertThrows(LabException.class, () -> p.execute("insert into writes values (2, 'a', 2)"));
            assertTrue(newer.getMessage().contains(EpochFence.REFUSED), newer.getMessage());
            assertEquals(2, EpochFence.newestSeen(p));
            // once it has seen epoch 2, epoch 1 is refused too
            assertThrows(LabException.class, () -> p.execute("insert into writes values (3, 'a', 1)"));
            EpochFence.advance(p, 2);
            p.execute("insert into writes values (4, 'a', 2)");
            assertThrows(LabException.class, () -> p.execute("insert into writes values (5, 'a', 1)"));
            assertEquals(List.of("1", "4"), p.queryStrings("select id from writes order by id"));
            assertThrows(IllegalArgumentException.class, () -> EpochFence.install(p, "Writes; drop"));
        }
    }

    @Test
    void leaseAgentStopsAPrimaryCutOffFromItsController() throws Exception {
        try (Lab lab = Lab.start("embedded")) {
            Cluster c = lab.cluster(1);
            Postgres old = c.primary();
            NetworkLink controllerPath = lab.link(old);
            try (LeaseAgent agent = LeaseAgent.guard(old, Duration.ofMillis(500));
                 FailoverController controller = FailoverController.watch(c).through(controllerPath)
                         .checkEvery(Duration.ofMillis(100)).missedChecks(5).waitOutLease(Duration.ofMillis(1000)).start()) {
                Thread.sleep(600);
                assertFalse(agent.fenced(), "renewed by the checks, the lease holds");
                long cut = System.nanoTime();
                controllerPath.partition(NetworkLink.Partition.DROP);
                FailoverController.Failover f = controller.awaitFailover(TIMEOUT);
                assertTrue(agent.fenced());
                System.out.printf("fenced %.0f ms after the cut, promoted %.0f ms after it%n", (agent.fencedAt() - cut) / 1e6,
                        (f.promoting() - cut) / 1e6);
                assertTrue(agent.fencedAt() < f.promoting(), "the old primary is fenced before the promotion");
                assertFalse(old.isRunning());
                assertNotEquals(old, c.primary());
            }
        }
    }

    @Test
    void commitWithCancelledSyncWaitIsLoggedAsWarned() throws Exception {
        try (Lab lab = Lab.start("embedded")) {
            Cluster c = lab.cluster(1);
            Postgres p = c.primary();
            p.execute(TABLE);
            c.awaitReplay();
            p.set("synchronous_standby_names", "*");
            c.replica(0).stop();
            try (Connection conn = p.connect(); Statement s = conn.createStatement()) {
                // statement_timeout does not end the wait (it is over once the statement has run);
                // a cancel request does: pgjdbc sends one when the query timeout expires
                s.setQueryTimeout(1);
                s.execute("insert into writes values (1, 'a', 1)");
                String w = Writers.syncWarning(s.getWarnings());
                assertTrue(w != null && w.contains("canceling wait for synchronous replication"), String.valueOf(w));
            }
            assertEquals(1, p.queryLong("select count(*) from writes"), "committed locally");
        }
    }

    @Test
    void badInputGetsClearErrors() {
        assertThrows(IllegalArgumentException.class, () -> FailoverController.watch(null));
        assertThrows(IllegalArgumentException.class, () -> Writers.into(null, "t"));
        assertThrows(IllegalArgumentException.class, () -> LeaseAgent.guard(null, Duration.ZERO));
    }
}
