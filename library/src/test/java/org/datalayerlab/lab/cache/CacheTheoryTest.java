package org.datalayerlab.lab.cache;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.datalayerlab.lab.workload.Keys;
import org.junit.jupiter.api.Test;

/** The theory against exact values and against caches replayed on a seeded zipf stream. */
class CacheTheoryTest {

    private static final int N = 5000;
    private static final double[] ZIPF = CacheTheory.zipf(N, 0.99);

    @Test
    void zipfIsANormalizedPowerLaw() {
        double sum = 0;
        for (double p : ZIPF) {
            sum += p;
        }
        assertEquals(1, sum, 1e-9);
        assertEquals(Math.pow(2, 0.99), ZIPF[0] / ZIPF[1], 1e-9);
        assertEquals(0.1, CacheTheory.topShare(CacheTheory.uniform(1000), 100), 1e-9);
        assertEquals(1, CacheTheory.topShare(ZIPF, N + 10), 1e-9);
    }

    @Test
    void topShareSortsPopularitiesGivenInAnyOrder() {
        assertEquals(0.7, CacheTheory.topShare(new double[] {0.1, 0.2, 0.5, 0.2}, 2), 1e-9);
    }

    @Test
    void theoriesAreOrderedAsTheirPolicies() {
        for (int k : new int[] {50, 500, 2500}) {
            double top = CacheTheory.topShare(ZIPF, k);
            double lru = CacheTheory.lruHitRate(ZIPF, k);
            double random = CacheTheory.randomHitRate(ZIPF, k);
            assertTrue(top > lru && lru > random, "top-k " + top + " > LRU " + lru + " > random " + random + " at k=" + k);
        }
        // with uniform keys every policy hits k/n
        assertEquals(0.1, CacheTheory.lruHitRate(CacheTheory.uniform(1000), 100), 1e-6);
        assertEquals(0.1, CacheTheory.randomHitRate(CacheTheory.uniform(1000), 100), 1e-6);
        assertEquals(0, CacheTheory.lruHitRate(ZIPF, 0));
        assertEquals(1, CacheTheory.lruHitRate(ZIPF, N));
    }

    @Test
    void characteristicTimeHoldsKDistinctKeys() {
        double t = CacheTheory.characteristicTime(ZIPF, 500);
        double distinct = 0;
        for (double p : ZIPF) {
            distinct += 1 - Math.exp(-p * t);
        }
        assertEquals(500, distinct, 1e-3);
        assertThrows(IllegalArgumentException.class, () -> CacheTheory.characteristicTime(ZIPF, N));
    }

    @Test
    void cheMatchesAReplayedLruCache() {
        for (int k : new int[] {100, 1000}) {
            var replay = CacheAside.replay(LruCache.of(k), Keys.zipfian(N), 3, 20_000, 40_000, 10);
            assertEquals(CacheTheory.lruHitRate(ZIPF, k), replay.rate(), 0.02, "LRU of " + k + " entries");
            assertEquals(k, replay.entries());
        }
    }

    @Test
    void caffeineComesCloseToTheTopKShare() {
        var replay = CacheAside.replay(InProcessCache.of(500), Keys.zipfian(N), 3, 20_000, 40_000, 10);
        double top = CacheTheory.topShare(ZIPF, 500);
        assertTrue(replay.rate() > CacheTheory.lruHitRate(ZIPF, 500), "W-TinyLFU beats LRU on a steady zipf stream");
        assertEquals(top, replay.rate(), 0.05);
    }

    @Test
    void badInputSaysWhatToPass() {
        var e = assertThrows(IllegalArgumentException.class, () -> CacheTheory.zipf(0, 0.99));
        assertTrue(e.getMessage().contains("at least 1"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> CacheTheory.topShare(new double[0], 1));
        assertThrows(IllegalArgumentException.class, () -> InProcessCache.of(0));
        assertThrows(IllegalArgumentException.class, () -> LruCache.of(0));
        assertThrows(IllegalArgumentException.class,
                () -> CacheAside.replay(LruCache.of(1), Keys.uniform(10), 1, 0, 0, 1));
    }
}
