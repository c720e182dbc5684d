package org.datalayerlab.lab.shard;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.datalayerlab.lab.data.Datasets;
import org.junit.jupiter.api.Test;

/** The four routers on the real flight keys: balance, moves when a shard is added, errors. */
class ShardRoutersTest {

    /** KeyHash.of("ORD") as first computed: must never change, or every ring and lesson number changes. */
    private static final long GOLDEN_ORD = -8763719008046104236L;

    private static final List<String> IDS = new ArrayList<>();
    private static final List<String> ORIGINS = new ArrayList<>();

    static {
        int id = 0;
        for (Datasets.Flight f : Datasets.flights()) {
            IDS.add(String.format("%05d", ++id));
            ORIGINS.add(f.origin());
        }
    }

    private static Map<String, Long> rowsPerOrigin() {
        Map<String, Long> w = new TreeMap<>();
        ORIGINS.forEach(o -> w.merge(o, 1L, Long::sum));
        return w;
    }

    @Test
    void hashIsStableAndSpreadsSimilarKeys() {
        assertEquals(KeyHash.of("ORD"), KeyHash.of("ORD"));
        assertNotEquals(KeyHash.of("ORD"), KeyHash.of("ORF"));
        // a fixed value: the ring, and so every lesson's numbers, must not change between JVMs
        assertEquals(GOLDEN_ORD, KeyHash.of("ORD"));
        int differentBits = Long.bitCount(KeyHash.of("00001") ^ KeyHash.of("00002"));
        assertTrue(differentBits > 16 && differentBits < 48, "one changed character flips about half the bits: " + differentBits);
    }

    @Test
    void moduloSpreadsUniformKeysEvenlyAndMovesMostKeysWhenNGrows() {
        long[] load = new ModuloRouter(4).load(IDS);
        assertEquals(20_000, Arrays.stream(load).sum());
        assertTrue(ShardRouter.maxOverMean(load) < 1.05, Arrays.toString(load));
        double moved = ShardRouter.movedFraction(IDS, new ModuloRouter(4), new ModuloRouter(5));
        assertEquals(0.8, moved, 0.03, "4 -> 5 keeps a key only when both remainders agree");
    }

    @Test
    void ringMovesAboutOneOverNPlusOneAndOnlyToTheNewShard() {
        ConsistentHashRing four = new ConsistentHashRing(4, 128);
        ConsistentHashRing five = new ConsistentHashRing(5, 128);
        double moved = ShardRouter.movedFraction(IDS, four, five);
        assertTrue(moved > 0.12 && moved < 0.28, "expected about 1/5 to move, moved " + moved);
        for (String key : IDS) {
            if (four.shardFor(key) != five.shardFor(key)) {
                assertEquals(4, five.shardFor(key), "a key that moves goes to the new shard");
            }
        }
        assertTrue(ShardRouter.maxOverMean(four.load(IDS)) < 1.25, Arrays.toString(four.load(IDS)));
    }

    @Test
    void virtualNodesEvenOutTheArcs() {
        double one = ShardRouter.maxOverMean(new ConsistentHashRing(4, 1).load(IDS));
        double many = ShardRouter.maxOverMean(new ConsistentHashRing(4, 256).load(IDS));
        assertTrue(many < one, "256 vnodes " + many + " vs 1 vnode " + one);
        assertTrue(many < 1.2, "256 vnodes: " + many);
    }

    @Test
    void ringWrapsAroundPastTheLargestPoint() {
        ConsistentHashRing ring = new ConsistentHashRing(3, 2);
        long[] points = ring.points();
        int[] owners = ring.owners();
        assertEquals(6, points.length);
        for (int i = 1; i < points.length; i++) {
            assertTrue(points[i - 1] < points[i], "points ascend");
        }
        // find keys hashing past the last point and before the first: both belong to the first point's owner
        int checked = 0;
        for (String key : IDS) {
            long h = KeyHash.of(key);
            if (h > points[points.length - 1] || h <= points[0]) {
                assertEquals(owners[0], ring.shardFor(key), key);
                checked++;
            }
        }
        assertTrue(checked > 0);
    }

    @Test
    void rangeKeepsNeighboursTogether() {
        RangeRouter r = new RangeRouter("H", "O", "T");
        assertEquals(0, r.shardFor("ATL"));
        assertEquals(1, r.shardFor("H"));
        assertEquals(1, r.shardFor("LAX"));
        assertEquals(2, r.shardFor("ORD"));
        assertEquals(3, r.shardFor("TPA"));
        assertEquals(4, r.shards());
        RangeRouter even = RangeRouter.evenOverDistinctKeys(ORIGINS, 4);
        assertEquals(3, even.splitPoints().size());
        long[] load = even.load(ORIGINS);
        assertEquals(20_000, Arrays.stream(load).sum());
        assertThrows(IllegalArgumentException.class, () -> new RangeRouter("B", "A"));
        assertThrows(IllegalArgumentException.class, () -> RangeRouter.evenOverDistinctKeys(List.of("A"), 2));
    }

    @Test
    void directoryBalancesWeightsAndMovesOnlyWhatItChooses() {
        Map<String, Long> weights = rowsPerOrigin();
        DirectoryRouter four = DirectoryRouter.balanced(weights, 4);
        assertEquals(weights.size(), four.size());
        assertTrue(ShardRouter.maxOverMean(four.load(ORIGINS)) < 1.02, Arrays.toString(four.load(ORIGINS)));
        DirectoryRouter five = four.withNewShard(weights);
        assertEquals(5, five.shards());
        double moved = ShardRouter.movedFraction(ORIGINS, four, five);
        assertEquals(0.2, moved, 0.02, "the new shard is filled to about the mean, nothing else moves");
        for (String key : weights.keySet()) {
            if (four.shardFor(key) != five.shardFor(key)) {
                assertEquals(4, five.shardFor(key));
            }
        }
        assertEquals(4, four.shards(), "the old directory is unchanged");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> four.shardFor("XYZ"));
        assertTrue(e.getMessage().contains("XYZ"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> four.assign("ORD", 4));
    }

    @Test
    void badInputIsRejectedClearly() {
        assertThrows(IllegalArgumentException.class, () -> new ModuloRouter(0));
        assertThrows(IllegalArgumentException.class, () -> new ConsistentHashRing(4, 0));
        assertThrows(IllegalArgumentException.class, () -> new ModuloRouter(4).shardFor(null));
        assertThrows(IllegalArgumentException.class, () -> ShardRouter.movedFraction(List.of(), new ModuloRouter(1), new ModuloRouter(2)));
        assertArrayEquals(new long[] {0, 0}, new ModuloRouter(2).load(List.of()));
        assertEquals(1.0, ShardRouter.maxOverMean(new long[] {5, 5}));
        assertEquals(2.0, ShardRouter.maxOverMean(new long[] {10, 0}));
    }
}
