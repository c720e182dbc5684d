package org.datalayerlab.lab.shard;

import java.util.Collection;
import java.util.Objects;

/**
 * Decides which shard (0 .. {@link #shards()}-1) holds a key. The four classic strategies:
 * {@link RangeRouter} (sorted key ranges), {@link ModuloRouter} (hash mod N),
 * {@link ConsistentHashRing} (hash ring with virtual nodes) and {@link DirectoryRouter}
 * (a lookup table).
 *
 * <pre>{@code
 * ShardRouter router = new ConsistentHashRing(4, 128);
 * int shard = router.shardFor("ORD");
 * long[] rows = router.load(origins);                                  // rows per shard
 * double moved = ShardRouter.movedFraction(origins, router, new ConsistentHashRing(5, 128));
 * }</pre>
 */
public interface ShardRouter {

    /** The shard that holds {@code key}, from 0 to {@link #shards()}-1. */
    int shardFor(String key);

    /** How many shards this router spreads keys over. */
    int shards();

    /** A short description for tables and legends, e.g. "hash mod 4". */
    default String describe() {
        return getClass().getSimpleName() + " over " + shards() + " shards";
    }

    /** How many of {@code keys} land on each shard (a key listed twice counts twice: pass one key per row). */
    default long[] load(Collection<String> keys) {
        Objects.requireNonNull(keys, "keys");
        long[] perShard = new long[shards()];
        for (String key : keys) {
            perShard[shardFor(key)]++;
        }
        return perShard;
    }

    /**
     * The fraction (0..1) of {@code keys} that {@code after} places on a different shard than
     * {@code before}: the share of the data that has to move when one router replaces the other.
     */
    static double movedFraction(Collection<String> keys, ShardRouter before, ShardRouter after) {
        Objects.requireNonNull(keys, "keys");
        Objects.requireNonNull(before, "before");
        Objects.requireNonNull(after, "after");
        if (keys.isEmpty()) {
            throw new IllegalArgumentException("pass at least one key to count moves over");
        }
        long moved = 0;
        for (String key : keys) {
            if (before.shardFor(key) != after.shardFor(key)) {
                moved++;
            }
        }
        return (double) moved / keys.size();
    }

    /** The most loaded shard's load divided by the mean load: 1.0 is perfectly even, N means one shard has everything. */
    static double maxOverMean(long[] perShard) {
        if (perShard == null || perShard.length == 0) {
            throw new IllegalArgumentException("pass the load of at least one shard");
        }
        long max = 0;
        long total = 0;
        for (long l : perShard) {
            max = Math.max(max, l);
            total += l;
        }
        return total == 0 ? 1.0 : max / ((double) total / perShard.length);
    }

    static void checkShards(int shards) {
        if (shards < 1) {
            throw new IllegalArgumentException("a router needs at least 1 shard, got " + shards);
        }
    }

    static String checkKey(String key) {
        if (key == null) {
            throw new IllegalArgumentException("a shard key must not be null");
        }
        return key;
    }
}
