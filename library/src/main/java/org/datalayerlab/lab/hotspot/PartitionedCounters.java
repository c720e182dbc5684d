package org.datalayerlab.lab.hotspot;

import org.HdrHistogram.Histogram;
import org.datalayerlab.lab.Postgres;
import org.datalayerlab.lab.shard.ModuloRouter;
import org.datalayerlab.lab.shard.ShardRouter;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * Counters (think: likes per post) spread over partitions, each a real server with a
 * {@link Capacity}, keys placed by hash mod N ({@link ModuloRouter}). The three fixes for a
 * hot key are verbs of the store:
 * <ul>
 *   <li>{@link #salt}: writes of a hot key go to one of several sub-keys ("post:7#3") that hash to
 *       different partitions; a read must ask every partition that holds one and add them up;</li>
 *   <li>{@link #cacheReads}: reads of hot keys are answered from memory for a while (stale by up to
 *       that while);</li>
 *   <li>{@link #move}: hot keys get their own partition (a directory entry over the hash), for
 *       example a new server added with {@link #addPartition}.</li>
 * </ul>
 * Each partition holds {@code hot_counters (k text primary key, n bigint)}; {@link #create} starts
 * it empty.
 */
public final class PartitionedCounters {

    private static final String TABLE = "create table hot_counters (k text primary key, n bigint not null)";
    private static final String INCREMENT = "insert into hot_counters values (?, 1) on conflict (k) do update set n = hot_counters.n + 1";
    private static final String READ = "select coalesce(sum(n), 0) from hot_counters where k = any (?)";

    private record Cached(long value, long loadedNanos) {
    }

    private final List<PartitionServer> partitions = new ArrayList<>();
    private final ShardRouter router;
    private final Map<String, Integer> moved = new ConcurrentHashMap<>();
    private final Map<String, Integer> salted = new ConcurrentHashMap<>();
    private final Map<String, Cached> cache = new ConcurrentHashMap<>();
    private final LongAdder cacheHits = new LongAdder();
    private volatile long cacheNanos;

    private PartitionedCounters(List<Postgres> servers, Capacity capacity) {
        for (Postgres server : servers) {
            addPartition(server, capacity);
        }
        this.router = new ModuloRouter(servers.size());
    }

    /** One partition per server, keys by hash mod N, each server's {@code hot_counters} table new and empty. */
    public static PartitionedCounters create(List<Postgres> servers, Capacity capacity) {
        if (servers == null || servers.isEmpty()) {
            throw new IllegalArgumentException("pass at least one server, e.g. lab.servers(4)");
        }
        Objects.requireNonNull(capacity, "capacity: e.g. Capacity.of(2, Duration.ofMillis(5))");
        return new PartitionedCounters(servers, capacity);
    }

    /** A further partition outside the hash: only keys {@link #move}d there live on it. Returns its number. */
    public synchronized int addPartition(Postgres server, Capacity capacity) {
        Objects.requireNonNull(server, "server");
        server.execute("drop table if exists hot_counters; " + TABLE);
        partitions.add(new PartitionServer(partitions.size(), server, capacity));
        return partitions.size() - 1;
    }

    public List<PartitionServer> partitions() {
        return List.copyOf(partitions);
    }

    /** The partitions the hash spreads keys over (the first N; later ones hold moved keys only). */
    public int hashedPartitions() {
        return router.shards();
    }

    /** The partition that holds {@code key} (a directory entry if it was moved, else hash mod N). */
    public int partitionOf(String key) {
        Integer to = moved.get(key);
        return to != null ? to : router.shardFor(key);
    }

    /** Adds 1 to {@code key}'s counter: one statement, on a random sub-key's partition if the key is salted. */
    public void increment(String key, SplittableRandom random) throws SQLException {
        Integer salts = salted.get(key);
        String target = salts == null ? key : key + "#" + random.nextInt(salts);
        partitions.get(partitionOf(target)).call(c -> {
            try (PreparedStatement ps = c.prepareStatement(INCREMENT)) {
                ps.setString(1, target);
                return ps.executeUpdate();
            }
        });
    }

    /**
     * {@code key}'s counter: from the cache if the key is cached and fresh, else one statement per
     * partition that holds the key or one of its sub-keys, added up.
     */
    public long read(String key) throws SQLException {
        long now = System.nanoTime();
        Cached cached = cacheNanos > 0 ? cache.get(key) : null;
        if (cached != null && now - cached.loadedNanos() < cacheNanos) {
            cacheHits.increment();
            return cached.value();
        }
        long value = 0;
        for (Map.Entry<Integer, List<String>> part : placement(key).entrySet()) {
            String[] keys = part.getValue().toArray(String[]::new);
            value += partitions.get(part.getKey()).call(c -> {
                try (PreparedStatement ps = c.prepareStatement(READ)) {
                    ps.setArray(1, c.createArrayOf("text", keys));
                    try (ResultSet rs = ps.executeQuery()) {
                        rs.next();
                        return rs.getLong(1);
                    }
                }
            });
        }
        if (cached != null || cache.containsKey(key)) {
            cache.put(key, new Cached(value, now));
        }
        return value;
    }

    /** Where {@code key}'s rows live: partition -> the key and its sub-keys there. */
    public Map<Integer, List<String>> placement(String key) {
        Map<Integer, List<String>> byPartition = new TreeMap<>();
        byPartition.computeIfAbsent(partitionOf(key), p -> new ArrayList<>()).add(key);
        Integer salts = salted.get(key);
        for (int s = 0; salts != null && s < salts; s++) {
            String sub = key + "#" + s;
            byPartition.computeIfAbsent(partitionOf(sub), p -> new ArrayList<>()).add(sub);
        }
        return byPartition;
    }

    /**
     * Splits each of {@code keys} into {@code salts} sub-keys: its writes spread over their
     * partitions, its reads ask all of them. Counts already written stay and are still read.
     */
    public void salt(Collection<String> keys, int salts) {
        if (salts < 2 || salts > 1024) {
            throw new IllegalArgumentException("salting splits a key into 2 to 1024 sub-keys, got " + salts);
        }
        for (String key : Objects.requireNonNull(keys, "keys")) {
            salted.put(Objects.requireNonNull(key, "key"), salts);
        }
    }

    /** Answers reads of {@code keys} from memory, reading through to the partitions when older than {@code ttl}. */
    public void cacheReads(Collection<String> keys, Duration ttl) {
        if (ttl == null || ttl.isNegative() || ttl.isZero()) {
            throw new IllegalArgumentException("a cache entry must live a positive time, got " + ttl);
        }
        for (String key : Objects.requireNonNull(keys, "keys")) {
            cache.put(Objects.requireNonNull(key, "key"), new Cached(0, System.nanoTime() - ttl.toNanos() - 1)); // stale: read on first use
        }
        cacheNanos = ttl.toNanos();
    }

    /** Reads answered from the cache since the last {@link #resetStats()}. */
    public long cacheHits() {
        return cacheHits.sum();
    }

    /**
     * Moves {@code keys} (and their counts) to partition {@code to}; run it while no load runs.
     * Salted keys cannot move (their sub-keys are placed by the hash).
     */
    public synchronized void move(Collection<String> keys, int to) throws SQLException {
        if (to < 0 || to >= partitions.size()) {
            throw new IllegalArgumentException("no partition " + to + "; there are " + partitions.size()
                    + " (0.." + (partitions.size() - 1) + "); add one with addPartition(server, capacity)");
        }
        for (String key : Objects.requireNonNull(keys, "keys")) {
            if (salted.containsKey(key)) {
                throw new IllegalArgumentException(key + " is salted; its sub-keys are placed by the hash, so it cannot move");
            }
            int from = partitionOf(key);
            if (from == to) {
                continue;
            }
            long count;
            try (Connection c = partitions.get(from).server().connect();
                 PreparedStatement delete = c.prepareStatement("delete from hot_counters where k = ? returning n")) {
                delete.setString(1, key);
                try (ResultSet rs = delete.executeQuery()) {
                    count = rs.next() ? rs.getLong(1) : 0;
                }
            }
            try (Connection c = partitions.get(to).server().connect();
                 PreparedStatement insert = c.prepareStatement(
                         "insert into hot_counters values (?, ?) on conflict (k) do update set n = hot_counters.n + excluded.n")) {
                insert.setString(1, key);
                insert.setLong(2, count);
                insert.executeUpdate();
            }
            moved.put(key, to);
        }
    }

    /** Statements each partition served since the last reset. */
    public long[] statementsPerPartition() {
        return partitions.stream().mapToLong(PartitionServer::statements).toArray();
    }

    /** The busiest partition's statements over the mean (1.0: even). */
    public double maxOverMean() {
        return ShardRouter.maxOverMean(statementsPerPartition());
    }

    /** Each partition's time-in-partition histogram (microseconds) since the last call or reset. */
    public List<Histogram> takeLatencies() {
        return partitions.stream().map(PartitionServer::takeLatencies).toList();
    }

    /** Every partition's counters added up, sub-keys included (for checking that no write was lost). */
    public long total() {
        return partitions.stream().mapToLong(p -> p.server().queryLong("select coalesce(sum(n), 0) from hot_counters")).sum();
    }

    /** Starts the statement counts, the latencies and the cache hits from zero. */
    public void resetStats() {
        partitions.forEach(PartitionServer::resetStats);
        cacheHits.reset();
    }

    @Override
    public String toString() {
        return "counters over " + partitions.size() + " partitions (hash mod " + router.shards() + "), "
                + salted.size() + " salted, " + moved.size() + " moved, " + (cacheNanos > 0 ? cache.size() : 0) + " cached";
    }
}
