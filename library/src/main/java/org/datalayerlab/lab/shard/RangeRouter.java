package org.datalayerlab.lab.shard;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.TreeSet;

/**
 * Range sharding: the key space is cut at sorted split points and shard i holds the keys from
 * split point i-1 (inclusive) up to split point i (exclusive). Neighbouring keys stay together,
 * so a range scan asks one or two shards; but the load follows the keys, so a popular range or
 * an ever-growing key (a timestamp, a sequence) makes one shard hot.
 *
 * <pre>{@code
 * new RangeRouter("H", "O", "T")   // 4 shards: [..H) [H..O) [O..T) [T..]
 * }</pre>
 */
public final class RangeRouter implements ShardRouter {

    private final String[] splits;

    /** Split points in strictly increasing order (string order); n split points make n+1 shards. */
    public RangeRouter(String... splitPoints) {
        Objects.requireNonNull(splitPoints, "splitPoints");
        for (int i = 0; i < splitPoints.length; i++) {
            ShardRouter.checkKey(splitPoints[i]);
            if (i > 0 && splitPoints[i - 1].compareTo(splitPoints[i]) >= 0) {
                throw new IllegalArgumentException("split points must be strictly increasing, got "
                        + Arrays.toString(splitPoints));
            }
        }
        this.splits = splitPoints.clone();
    }

    /**
     * A router whose {@code shards} ranges hold the same number of DISTINCT keys of
     * {@code keys} (the way one splits a key space knowing its values but not their traffic).
     */
    public static RangeRouter evenOverDistinctKeys(Collection<String> keys, int shards) {
        ShardRouter.checkShards(shards);
        List<String> distinct = new ArrayList<>(new TreeSet<>(keys));
        if (distinct.size() < shards) {
            throw new IllegalArgumentException("cannot split " + distinct.size() + " distinct keys into " + shards + " ranges");
        }
        String[] points = new String[shards - 1];
        for (int i = 1; i < shards; i++) {
            points[i - 1] = distinct.get((int) ((long) i * distinct.size() / shards));
        }
        return new RangeRouter(points);
    }

    @Override
    public int shardFor(String key) {
        ShardRouter.checkKey(key);
        int lo = 0;
        int hi = splits.length; // answer: number of split points <= key
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (splits[mid].compareTo(key) <= 0) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    @Override
    public int shards() {
        return splits.length + 1;
    }

    /** The split points, in order. */
    public List<String> splitPoints() {
        return List.of(splits);
    }

    @Override
    public String describe() {
        return "range " + Arrays.toString(splits);
    }

    @Override
    public String toString() {
        return describe();
    }
}
