package org.datalayerlab.lab.shard;

import java.util.Arrays;

/**
 * Consistent hashing: every shard owns {@code virtualNodes} points on a ring of 64-bit hash
 * values (the hash of "shard-S#V"); a key belongs to the first point at or after its own hash,
 * going clockwise and wrapping around from the largest point to the smallest.
 *
 * <p>Adding a shard adds its points and takes over only the arcs just before them: about
 * 1/(N+1) of the keys move, all of them to the new shard. With one point per shard the arcs
 * are very unequal; many virtual nodes per shard average that out (Dynamo, Cassandra's vnodes).
 *
 * <p>The ring is the pair {@link #points()} (sorted ascending as signed longs) and
 * {@link #owners()} (the shard of each point).
 */
public final class ConsistentHashRing implements ShardRouter {

    private final int shards;
    private final int virtualNodes;
    private final long[] points;
    private final int[] owners;

    public ConsistentHashRing(int shards, int virtualNodes) {
        ShardRouter.checkShards(shards);
        if (virtualNodes < 1) {
            throw new IllegalArgumentException("each shard needs at least 1 virtual node, got " + virtualNodes);
        }
        if ((long) shards * virtualNodes > 10_000_000) {
            throw new IllegalArgumentException("too many ring points: " + shards + " shards x " + virtualNodes + " virtual nodes");
        }
        this.shards = shards;
        this.virtualNodes = virtualNodes;
        int n = shards * virtualNodes;
        long[][] pairs = new long[n][];
        int i = 0;
        for (int s = 0; s < shards; s++) {
            for (int v = 0; v < virtualNodes; v++) {
                pairs[i++] = new long[] {KeyHash.of("shard-" + s + "#" + v), s};
            }
        }
        // by position, ties (vanishingly rare) by shard, so the ring is the same in every JVM
        Arrays.sort(pairs, (a, b) -> a[0] != b[0] ? Long.compare(a[0], b[0]) : Long.compare(a[1], b[1]));
        this.points = new long[n];
        this.owners = new int[n];
        for (int k = 0; k < n; k++) {
            points[k] = pairs[k][0];
            owners[k] = (int) pairs[k][1];
        }
    }

    @Override
    public int shardFor(String key) {
        long h = KeyHash.of(key);
        int i = Arrays.binarySearch(points, h);
        if (i < 0) {
            i = -i - 1; // insertion point: the first point greater than h
        }
        return owners[i == points.length ? 0 : i]; // past the largest point: wrap around
    }

    @Override
    public int shards() {
        return shards;
    }

    public int virtualNodes() {
        return virtualNodes;
    }

    /** The ring's points, ascending (signed long order); a copy. */
    public long[] points() {
        return points.clone();
    }

    /** The shard that owns each point of {@link #points()}; a copy. */
    public int[] owners() {
        return owners.clone();
    }

    @Override
    public String describe() {
        return "consistent hashing, " + shards + " shards x " + virtualNodes + " vnode" + (virtualNodes == 1 ? "" : "s");
    }

    @Override
    public String toString() {
        return describe();
    }
}
