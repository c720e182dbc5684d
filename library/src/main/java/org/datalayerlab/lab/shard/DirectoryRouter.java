package org.datalayerlab.lab.shard;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Directory-based sharding: a lookup table says where each key lives. Any placement is
 * possible (heavy keys spread by weight, one tenant moved on its own), and adding a shard
 * moves exactly the keys one chooses; the price is the table itself, which every request
 * consults (so it is cached, replicated and kept consistent, as Vitess, MongoDB's config
 * servers and Slack's or Pinterest's lookup services do).
 */
public final class DirectoryRouter implements ShardRouter {

    private final int shards;
    private final Map<String, Integer> table;

    /** An empty directory over {@code shards} shards: {@link #assign} every key before routing it. */
    public DirectoryRouter(int shards) {
        this(shards, new HashMap<>());
    }

    private DirectoryRouter(int shards, Map<String, Integer> table) {
        ShardRouter.checkShards(shards);
        this.shards = shards;
        this.table = table;
    }

    /**
     * A directory that spreads weighted keys (for example rows per airport) so that the shards'
     * total weights come out nearly equal: heaviest key first, each onto the lightest shard so far.
     */
    public static DirectoryRouter balanced(Map<String, Long> weights, int shards) {
        Objects.requireNonNull(weights, "weights");
        DirectoryRouter d = new DirectoryRouter(shards);
        long[] load = new long[shards];
        for (Map.Entry<String, Long> e : heaviestFirst(weights)) {
            int lightest = 0;
            for (int s = 1; s < shards; s++) {
                if (load[s] < load[lightest]) {
                    lightest = s;
                }
            }
            d.assign(e.getKey(), lightest);
            load[lightest] += e.getValue();
        }
        return d;
    }

    /** Puts {@code key} on {@code shard} (a new entry or a move). */
    public DirectoryRouter assign(String key, int shard) {
        ShardRouter.checkKey(key);
        if (shard < 0 || shard >= shards) {
            throw new IllegalArgumentException("shard " + shard + " does not exist: this directory has shards 0.." + (shards - 1));
        }
        table.put(key, shard);
        return this;
    }

    @Override
    public int shardFor(String key) {
        Integer shard = table.get(ShardRouter.checkKey(key));
        if (shard == null) {
            throw new IllegalArgumentException("the directory has no entry for key \"" + key + "\": assign it to a shard first");
        }
        return shard;
    }

    @Override
    public int shards() {
        return shards;
    }

    /** How many keys the directory lists. */
    public int size() {
        return table.size();
    }

    /**
     * A copy with one more, empty shard onto which keys are moved, lightest-loaded-first from the
     * most loaded shards, until the new shard holds about the mean weight. Nothing else moves.
     */
    public DirectoryRouter withNewShard(Map<String, Long> weights) {
        Objects.requireNonNull(weights, "weights");
        DirectoryRouter next = new DirectoryRouter(shards + 1, new HashMap<>(table));
        int fresh = shards;
        long[] load = new long[shards + 1];
        long total = 0;
        for (Map.Entry<String, Long> e : weights.entrySet()) {
            load[shardFor(e.getKey())] += e.getValue();
            total += e.getValue();
        }
        long target = total / (shards + 1);
        // take from the most loaded shard the heaviest key that does not overshoot the target
        // by more than half its weight; if that shard has none, try the next most loaded one
        List<Map.Entry<String, Long>> candidates = new ArrayList<>(heaviestFirst(weights));
        while (load[fresh] < target) {
            Map.Entry<String, Long> pick = null;
            for (int donor : byLoadDescending(load, shards)) {
                for (Map.Entry<String, Long> e : candidates) {
                    if (next.shardFor(e.getKey()) == donor && 2 * (target - load[fresh]) >= e.getValue()) {
                        pick = e;
                        break;
                    }
                }
                if (pick != null) {
                    break;
                }
            }
            if (pick == null) {
                break; // every remaining key would overshoot: close enough
            }
            load[next.shardFor(pick.getKey())] -= pick.getValue();
            next.assign(pick.getKey(), fresh);
            load[fresh] += pick.getValue();
            candidates.remove(pick);
        }
        return next;
    }

    private static List<Integer> byLoadDescending(long[] load, int shards) {
        List<Integer> order = new ArrayList<>();
        for (int s = 0; s < shards; s++) {
            order.add(s);
        }
        order.sort((a, b) -> Long.compare(load[b], load[a]));
        return order;
    }

    private static List<Map.Entry<String, Long>> heaviestFirst(Map<String, Long> weights) {
        List<Map.Entry<String, Long>> list = new ArrayList<>(weights.entrySet());
        list.sort(Map.Entry.<String, Long>comparingByValue(Collections.reverseOrder()).thenComparing(Map.Entry.comparingByKey()));
        return list;
    }

    @Override
    public String describe() {
        return "directory of " + table.size() + " keys over " + shards + " shards";
    }

    @Override
    public String toString() {
        return describe();
    }
}
