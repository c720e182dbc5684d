package org.datalayerlab.lab;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import org.datalayerlab.lab.server.external.ExternalBackend;
import org.datalayerlab.lab.testsupport.CountingRelay;
import org.junit.jupiter.api.Test;

/**
 * Replication.timeToVisible polls the replica until a row shows up. Against a replica that
 * applies commits 1 s late it must pause between its reads, not spin: a spinning loop sends
 * thousands of queries a second (one every round trip), a paused one about one a millisecond.
 */
class TimeToVisiblePollingTest {

    @Test
    void timeToVisiblePausesBetweenItsReads() throws Exception {
        try (Lab lab = Lab.start("embedded")) {
            Cluster c = lab.cluster(ClusterSpec.replicas(1).replicaSettings(Settings.of("recovery_min_apply_delay", "1s")));
            Postgres replica = c.replica(0);
            try (CountingRelay relay = new CountingRelay(replica.host(), replica.port());
                 ExternalBackend via = new ExternalBackend(List.of("jdbc:postgresql://127.0.0.1:" + relay.port() + "/postgres"),
                         replica.user(), replica.password())) {
                Postgres counted = via.postgres("replica-through-relay", Settings.none());
                Replication.timeToVisible(c.primary(), counted, Duration.ofSeconds(30)); // probe table made and replayed
                relay.reset();
                long start = System.nanoTime();
                Duration visible = Replication.timeToVisible(c.primary(), counted, Duration.ofSeconds(30));
                double waitedMs = (System.nanoTime() - start) / 1e6;
                long queries = relay.clientWrites();
                assertTrue(visible.toMillis() >= 900, "the replica applies 1 s late: " + visible);
                assertTrue(queries < 1.5 * waitedMs + 100, queries + " queries in " + Math.round(waitedMs)
                        + " ms: the loop spins instead of pausing between reads");
            }
        }
    }
}
