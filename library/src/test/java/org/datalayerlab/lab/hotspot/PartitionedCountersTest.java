package org.datalayerlab.lab.hotspot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.ArrayList;
import org.datalayerlab.lab.Lab;
import org.datalayerlab.lab.Postgres;
import org.datalayerlab.lab.measure.Result;
import org.datalayerlab.lab.workload.Driver;
import org.datalayerlab.lab.workload.Keys;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Counters on three real servers: every fix keeps every write, and the capacity model holds. */
class PartitionedCountersTest {

    static Lab lab;
    static List<Postgres> servers;

    @BeforeAll
    static void start() {
        lab = Lab.start("embedded");
        servers = lab.servers(4);
    }

    @AfterAll
    static void stop() {
        lab.close();
    }

    static PartitionedCounters store(Capacity capacity) {
        return PartitionedCounters.create(servers.subList(0, 3), capacity);
    }

    @Test
    void incrementsAndReadsGoToTheKeysPartitionOnly() throws Exception {
        PartitionedCounters store = store(Capacity.of(2, Duration.ZERO));
        SplittableRandom random = new SplittableRandom(1);
        for (int i = 0; i < 7; i++) {
            store.increment("post:1", random);
        }
        int home = store.partitionOf("post:1");
        long[] statements = store.statementsPerPartition();
        assertEquals(7, statements[home]);
        assertEquals(7, statements[0] + statements[1] + statements[2]);
        assertEquals(7, store.read("post:1"));
        assertEquals(0, store.read("post:2"));
        assertEquals(7, servers.get(home).queryLong("select n from hot_counters where k = 'post:1'"));
    }

    @Test
    void aSaltedKeySpreadsItsWritesAndReadsEveryPartitionThatHoldsASubKey() throws Exception {
        PartitionedCounters store = store(Capacity.of(2, Duration.ZERO));
        SplittableRandom random = new SplittableRandom(2);
        store.increment("post:0", random);                   // written before salting: still counted
        store.salt(List.of("post:0"), 12);
        for (int i = 0; i < 300; i++) {
            store.increment("post:0", random);
        }
        long[] statements = store.statementsPerPartition();
        for (long s : statements) {
            assertTrue(s > 30, "every partition takes some of the salted writes: " + java.util.Arrays.toString(statements));
        }
        store.resetStats();
        assertEquals(301, store.read("post:0"));
        assertEquals(store.placement("post:0").size(), java.util.Arrays.stream(store.statementsPerPartition()).sum(),
                "one read statement per partition that holds the key or a sub-key");
        assertEquals(301, store.total());
    }

    @Test
    void cachedReadsAreServedFromMemoryUntilTheyExpire() throws Exception {
        PartitionedCounters store = store(Capacity.of(2, Duration.ZERO));
        SplittableRandom random = new SplittableRandom(3);
        store.cacheReads(List.of("post:5"), Duration.ofMinutes(5));
        store.increment("post:5", random);
        assertEquals(1, store.read("post:5"));               // first read: from the server
        store.increment("post:5", random);
        assertEquals(1, store.read("post:5"), "stale by design: the cache answers");
        assertEquals(1, store.cacheHits());
        assertEquals(2, store.read("post:6") + 2 - store.read("post:6"), "uncached keys read through");
        assertThrows(IllegalArgumentException.class, () -> store.cacheReads(List.of("x"), Duration.ZERO));
    }

    @Test
    void aMovedKeyTakesItsCountToTheNewPartition() throws Exception {
        PartitionedCounters store = store(Capacity.of(2, Duration.ZERO));
        SplittableRandom random = new SplittableRandom(4);
        for (int i = 0; i < 5; i++) {
            store.increment("post:9", random);
        }
        int extra = store.addPartition(servers.get(3), Capacity.of(2, Duration.ZERO));
        assertEquals(3, extra);
        assertEquals(3, store.hashedPartitions());
        store.move(List.of("post:9"), extra);
        store.resetStats();
        store.increment("post:9", random);
        assertEquals(6, store.read("post:9"));
        assertEquals(2, store.statementsPerPartition()[extra]);
        assertEquals(6, store.total());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> store.move(List.of("post:9"), 7));
        assertTrue(e.getMessage().contains("addPartition"), e.getMessage());
    }

    @Test
    void aPartitionServesNoMoreStatementsAtOnceThanItsCapacity() throws Exception {
        PartitionedCounters store = store(Capacity.of(1, Duration.ofMillis(20)));
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            long start = System.nanoTime();
            List<Future<?>> done = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                done.add(pool.submit(() -> { store.increment("post:3", new SplittableRandom(5)); return null; }));
            }
            for (Future<?> f : done) {
                f.get(30, TimeUnit.SECONDS);
            }
            double ms = (System.nanoTime() - start) / 1e6;
            assertTrue(ms >= 8 * 20, "8 statements one at a time, 20 ms each, took " + ms + " ms");
            var latencies = store.takeLatencies().get(store.partitionOf("post:3"));
            assertEquals(8, latencies.getTotalCount());
            assertTrue(latencies.getMaxValue() >= 4 * 20_000, "the last in the queue waited for the others: " + latencies.getMaxValue() + " us");
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void aSkewedLoadMakesOnePartitionBusiestAndTheWorkloadCountsEveryKey() {
        PartitionedCounters store = store(Capacity.of(4, Duration.ZERO));
        ExactCounts exact = new ExactCounts();
        Result run = Driver.closedLoop(CounterLoad.over(store, Keys.zipfian(1000, 1.5), 0.5).observe(exact::offer))
                .threads(2).operations(600).run();
        assertEquals(0, run.errors(), run.firstError());
        assertEquals(600, exact.total());
        assertEquals("post:0", exact.topKeys(1).get(0));
        long[] load = store.statementsPerPartition();
        assertEquals(600, java.util.Arrays.stream(load).sum());
        assertTrue(store.maxOverMean() > 1.3, "zipfian 1.5 puts about half the load on post:0's partition: " + java.util.Arrays.toString(load));
    }

    @Test
    void badInputSaysWhatToDo() {
        assertThrows(IllegalArgumentException.class, () -> PartitionedCounters.create(List.of(), Capacity.of(1, Duration.ZERO)));
        assertThrows(IllegalArgumentException.class, () -> Capacity.of(0, Duration.ZERO));
        assertThrows(IllegalArgumentException.class, () -> store(Capacity.of(1, Duration.ZERO)).salt(List.of("k"), 1));
        assertEquals("model: 2 statements at a time per server, 10 ms each", Capacity.of(2, Duration.ofMillis(10)).describe());
        assertEquals(200, Capacity.of(2, Duration.ofMillis(10)).statementsPerSecond(), 1e-9);
    }
}
