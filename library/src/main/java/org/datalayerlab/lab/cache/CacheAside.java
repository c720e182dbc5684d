package org.datalayerlab.lab.cache;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Objects;
import java.util.concurrent.atomic.LongAdder;
import java.util.regex.Pattern;
import javax.sql.DataSource;
import org.datalayerlab.lab.workload.KeyChooser;
import org.datalayerlab.lab.workload.Keys;
import org.datalayerlab.lab.workload.Workload;
import org.datalayerlab.lab.workload.Worker;
import org.datalayerlab.lab.workload.Ycsb;

/**
 * Cache-aside reads: look in the cache; on a miss read the database and put the value in the
 * cache. Counts hits and misses (thread-safe).
 *
 * <pre>{@code
 * CacheAside cached = new CacheAside(InProcessCache.of(1000));
 * Result r = Driver.closedLoop(CacheAside.reads(server.dataSource(), "usertable", keys, cached)).threads(4)...;
 * double hitRate = cached.hitRate();
 * }</pre>
 */
public final class CacheAside {

    /** Reads one value from the database on a miss. */
    @FunctionalInterface
    public interface Loader {
        String load(String key) throws Exception;
    }

    /** A replay's outcome: requests measured, hits among them, entries in the cache at the end. */
    public record HitRate(long requests, long hits, long entries) {
        public double rate() {
            return requests == 0 ? Double.NaN : (double) hits / requests;
        }
    }

    private static final Pattern IDENTIFIER = Pattern.compile("[a-z_][a-z0-9_]{0,62}");

    private final KeyValueCache cache;
    private final LongAdder hits = new LongAdder();
    private final LongAdder misses = new LongAdder();

    public CacheAside(KeyValueCache cache) {
        this.cache = Objects.requireNonNull(cache, "cache");
    }

    public KeyValueCache cache() {
        return cache;
    }

    /** One read: the value (null if the database has none) and whether the cache had it. */
    public record Read(String value, boolean hit) {
    }

    /** The value of {@code key}: from the cache, or from {@code loader} (then cached). */
    public String read(String key, Loader loader) throws Exception {
        return lookup(key, loader).value();
    }

    /** As {@link #read}, saying whether it was a hit. */
    public Read lookup(String key, Loader loader) throws Exception {
        String value = cache.get(key);
        if (value != null) {
            hits.increment();
            return new Read(value, true);
        }
        misses.increment();
        value = loader.load(key);
        if (value != null) {
            cache.put(key, value);
        }
        return new Read(value, false);
    }

    public long hits() {
        return hits.sum();
    }

    public long misses() {
        return misses.sum();
    }

    /** Hits over reads since the last {@link #resetCounts()} (NaN before any read). */
    public double hitRate() {
        long h = hits.sum();
        long total = h + misses.sum();
        return total == 0 ? Double.NaN : (double) h / total;
    }

    public void resetCounts() {
        hits.reset();
        misses.reset();
    }

    /**
     * A read-only workload on a YCSB table ({@link Ycsb}): each operation reads {@code field0} of a
     * key drawn from {@code keys}, through {@code cached} (cache-aside; operation kinds "hit" and
     * "miss"), or straight from the database when {@code cached} is null (kind "database").
     * Each driver thread keeps its own connection.
     */
    public static Workload reads(DataSource dataSource, String table, Keys keys, CacheAside cached) {
        Objects.requireNonNull(dataSource, "dataSource");
        Objects.requireNonNull(keys, "keys");
        if (table == null || !IDENTIFIER.matcher(table).matches()) {
            throw new IllegalArgumentException("table name must be a lower-case SQL identifier, got " + table);
        }
        String name = cached == null ? "PostgreSQL only" : "through " + cached.cache().name();
        return Workload.named(name, (thread, seed) -> new Worker() {
            private final KeyChooser chooser = keys.chooser(seed);
            private Connection connection;
            private PreparedStatement select;

            @Override
            public String next() throws Exception {
                String key = Ycsb.key(chooser.next());
                if (cached == null) {
                    load(key);
                    return "database";
                }
                return cached.lookup(key, this::load).hit() ? "hit" : "miss";
            }

            private String load(String key) throws SQLException {
                if (connection == null) {
                    connection = dataSource.getConnection();
                    select = connection.prepareStatement("SELECT field0 FROM " + table + " WHERE ycsb_key = ?");
                }
                select.setString(1, key);
                try (ResultSet rs = select.executeQuery()) {
                    return rs.next() ? rs.getString(1) : null;
                }
            }

            @Override
            public void close() throws SQLException {
                if (connection != null) {
                    connection.close();
                }
            }
        });
    }

    /**
     * Replays {@code warmup + measured} requests drawn from {@code keys} (seeded) against an
     * emptied {@code cache}, cache-aside with a fixed value of {@code valueLength} characters on
     * each miss, and counts the hits among the last {@code measured}: the hit rate of this cache
     * policy and size on this key stream, without the database's time on each miss.
     */
    public static HitRate replay(KeyValueCache cache, Keys keys, long seed, int warmup, int measured, int valueLength) {
        Objects.requireNonNull(cache, "cache");
        Objects.requireNonNull(keys, "keys");
        if (warmup < 0 || measured < 1) {
            throw new IllegalArgumentException("replay: warm-up must be 0 or more and measured requests 1 or more, got "
                    + warmup + " and " + measured);
        }
        String value = "v".repeat(Math.max(1, valueLength));
        cache.clear();
        KeyChooser chooser = keys.chooser(seed);
        long hits = 0;
        for (int i = 0; i < warmup + measured; i++) {
            String key = Ycsb.key(chooser.next());
            if (cache.get(key) != null) {
                if (i >= warmup) {
                    hits++;
                }
            } else {
                cache.put(key, value);
            }
        }
        return new HitRate(measured, hits, cache.entries());
    }
}
