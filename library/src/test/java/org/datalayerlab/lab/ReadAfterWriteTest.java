package org.datalayerlab.lab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import tech.tablesaw.api.Table;

/** Read-your-writes against a replica that applies commits 100 ms late: stale without a fix, fresh with each. */
class ReadAfterWriteTest {

    @Test
    void staleWithoutAFixAndFreshWithEach() throws Exception {
        try (Lab lab = Lab.start("embedded")) {
            Cluster c = lab.cluster(ClusterSpec.replicas(1).replicaSettings(Settings.of("recovery_min_apply_delay", "100ms")));
            Postgres primary = c.primary();
            Postgres replica = c.replica(0);

            ReadAfterWrite.Outcome none = ReadAfterWrite.between(primary, replica).attempts(10).run();
            assertEquals(10, none.stale(), none.toString());
            assertEquals(1.0, none.staleRate());

            ReadAfterWrite.Outcome later = ReadAfterWrite.between(primary, replica).attempts(3)
                    .pause(Duration.ofMillis(400)).label("400 ms later").run();
            assertEquals(0, later.stale(), later.toString());

            ReadAfterWrite.Outcome fromPrimary = ReadAfterWrite.between(primary, replica).attempts(10)
                    .route(ReadAfterWrite.primary()).label("primary").run();
            assertEquals(0, fromPrimary.stale(), fromPrimary.toString());

            ReadAfterWrite.Outcome waited = ReadAfterWrite.between(primary, replica).attempts(5)
                    .route(ReadAfterWrite.waitForLsn(Duration.ofSeconds(10))).label("wait for LSN").run();
            assertEquals(0, waited.stale(), waited.toString());
            assertTrue(waited.reads().p50() >= 90, "the read waits for the 100 ms apply delay: " + waited);

            // an asynchronous commit (synchronous_commit = off) returns before its commit record is written:
            // the insert position still covers it
            WaitForLsn insertLsn = ReadAfterWrite.waitForLsn(Duration.ofSeconds(10));
            ReadAfterWrite.Outcome asyncCommits = ReadAfterWrite.between(primary, replica).attempts(5)
                    .writerSetting("synchronous_commit", "off").route(insertLsn).label("off, wait for LSN").run();
            assertEquals(0, asyncCommits.stale(), asyncCommits.toString());
            assertEquals(0, insertLsn.fallbacks());

            // a replica that does not catch up in time: the read goes to the primary, fresh
            WaitForLsn impatient = ReadAfterWrite.waitForLsn(Duration.ofMillis(10));
            ReadAfterWrite.Outcome fellBack = ReadAfterWrite.between(primary, replica).attempts(5)
                    .route(impatient).label("10 ms, then the primary").run();
            assertEquals(0, fellBack.stale(), fellBack.toString());
            assertEquals(5, impatient.fallbacks());
            assertTrue(fellBack.reads().p50() >= 10 && fellBack.reads().p50() < 90, "waits the timeout, not the lag: " + fellBack);

            primary.set("synchronous_standby_names", "replica1");
            ReadAfterWrite.Outcome applied = ReadAfterWrite.between(primary, replica).attempts(5)
                    .writerSetting("synchronous_commit", "remote_apply").label("remote_apply").run();
            assertEquals(0, applied.stale(), applied.toString());
            assertTrue(applied.writes().p50() >= 90, "the commit waits for the 100 ms apply delay: " + applied);

            Table t = ReadAfterWrite.table("fixes", none, fromPrimary, waited, applied);
            assertEquals(4, t.rowCount());
            assertEquals(100.0, t.doubleColumn("stale (%)").get(0));
        }
    }

    @Test
    void awaitReplayTimesOutAndRoutesRejectNonsense() throws Exception {
        try (Lab lab = Lab.start("embedded")) {
            Cluster c = lab.cluster(1);
            try (Connection r = c.replica(0).connect()) {
                assertTrue(ReadAfterWrite.awaitReplay(r, "0/0", Duration.ofSeconds(1)));
                long t0 = System.nanoTime();
                assertFalse(ReadAfterWrite.awaitReplay(r, "FF/0", Duration.ofMillis(50)));
                assertTrue(System.nanoTime() - t0 < 2_000_000_000L);
            }
            LabException e = assertThrows(LabException.class, () -> ReadAfterWrite.between(c.primary(), c.replica(0))
                    .attempts(1).route((p, r) -> null).run());
            assertTrue(e.getMessage().contains("no connection"), e.getMessage());
            assertThrows(IllegalArgumentException.class, () -> ReadAfterWrite.between(c.primary(), c.replica(0)).attempts(0));
            assertThrows(IllegalArgumentException.class, () -> ReadAfterWrite.between(c.primary(), c.replica(0))
                    .writerSetting("x; drop table t", "1"));
        }
    }
}
