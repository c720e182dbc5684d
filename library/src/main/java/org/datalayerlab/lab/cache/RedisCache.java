package org.datalayerlab.lab.cache;

import java.util.List;
import java.util.Objects;
import org.datalayerlab.lab.LabException;
import org.datalayerlab.lab.Redis;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisPool;
import redis.clients.jedis.JedisPoolConfig;
import redis.clients.jedis.exceptions.JedisException;

/**
 * A cache in a Redis server shared by every application instance, bounded the way Redis is:
 * by memory ({@code maxmemory}, in bytes) with an eviction policy ({@code maxmemory-policy}).
 * Without both, Redis used as a cache grows until the machine runs out of memory (the default
 * policy, noeviction, then refuses writes). {@code allkeys-lru} evicts by approximated LRU: it
 * samples {@code maxmemory-samples} keys (Redis's default 5, here {@link #SAMPLES}) and evicts the least recently used of
 * them and of a small pool of earlier candidates.
 *
 * <pre>{@code
 * RedisCache shared = RedisCache.on(lab.redis(), 4).limitToEntries(1000, "user000000000001", value);
 * }</pre>
 */
public final class RedisCache implements KeyValueCache {

    /** The policies that evict when maxmemory is reached (the other one, noeviction, refuses writes). */
    public static final List<String> EVICTING_POLICIES = List.of("allkeys-lru", "allkeys-lfu", "allkeys-random",
            "volatile-lru", "volatile-lfu", "volatile-random", "volatile-ttl");

    /** Room left in maxmemory for client buffers that grow while the cache is in use. */
    private static final long HEADROOM = 4 << 10;


    /** maxmemory-samples: Redis's default is 5; 10 comes close to true LRU at some CPU cost. */
    public static final int SAMPLES = 10;

    private final Redis redis;
    private final int clients;
    private final JedisPool pool;
    private long maxmemory;
    private String policy = "noeviction";

    private RedisCache(Redis redis, int clients) {
        this.redis = Objects.requireNonNull(redis, "redis");
        if (clients < 1 || clients > 64) {
            throw new IllegalArgumentException("clients: between 1 and 64 connections to Redis, got " + clients);
        }
        this.clients = clients;
        JedisPoolConfig config = new JedisPoolConfig();
        config.setMaxTotal(clients);
        config.setMaxIdle(clients);
        config.setJmxEnabled(false);
        this.pool = new JedisPool(config, redis.host(), redis.port());
    }

    /**
     * A cache in {@code redis} (start one with {@code lab.redis()}) used by at most {@code clients}
     * threads at a time (one connection each); set its bound with {@link #limit} or
     * {@link #limitToEntries} next.
     */
    public static RedisCache on(Redis redis, int clients) {
        return new RedisCache(redis, clients);
    }

    /** Sets maxmemory (bytes) and the eviction policy, e.g. {@code limit(8 << 20, "allkeys-lru")}. */
    public RedisCache limit(long maxmemoryBytes, String evictionPolicy) {
        if (!EVICTING_POLICIES.contains(evictionPolicy)) {
            throw new IllegalArgumentException("eviction policy '" + evictionPolicy + "' does not evict; use one of "
                    + EVICTING_POLICIES + " (allkeys-lru for a cache)");
        }
        if (maxmemoryBytes < 1) {
            throw new IllegalArgumentException("maxmemory must be a positive number of bytes (0 would mean no limit), got "
                    + maxmemoryBytes);
        }
        try (Jedis jedis = pool.getResource()) {
            jedis.configSet("maxmemory-policy", evictionPolicy);
            // keys sampled per eviction: redis.conf's own advice, 10 "approximates very closely true LRU"
            jedis.configSet("maxmemory-samples", String.valueOf(SAMPLES));
            jedis.configSet("maxmemory", String.valueOf(maxmemoryBytes));
        } catch (JedisException e) {
            throw new LabException("could not configure Redis on port " + redis.port() + ": " + e.getMessage(), e);
        }
        this.maxmemory = maxmemoryBytes;
        this.policy = evictionPolicy;
        return this;
    }

    /**
     * Sets maxmemory so that about {@code entries} entries shaped like {@code sampleKey} and
     * {@code sampleValue} fit: measures Redis's memory for 1000 such entries first (Redis bounds
     * bytes, not entries), with all of this cache's client connections open and busy, since their
     * buffers count against maxmemory too. So it holds about {@code entries} while all its
     * clients are busy; with fewer busy clients Redis frees their buffers and room for more
     * entries appears (count them with {@link #entries()}). Empties the cache. Policy allkeys-lru.
     */
    public RedisCache limitToEntries(long entries, String sampleKey, String sampleValue) {
        if (entries < 1) {
            throw new IllegalArgumentException("limitToEntries: ask for at least 1 entry, got " + entries);
        }
        int sample = 1000;
        long base;
        long filled;
        // open every client connection first: their buffers count against maxmemory too, and a
        // bound that leaves no room for them makes Redis refuse writes (OOM) instead of evicting
        List<Jedis> open = new java.util.ArrayList<>();
        try {
            for (int i = 0; i < clients; i++) {
                open.add(pool.getResource());
                open.get(i).set("sizing:client" + i, sampleValue); // a command as big as the cache's, in each buffer
            }
            Jedis jedis = open.get(0);
            jedis.configSet("maxmemory", "0"); // no bound while measuring
            jedis.flushAll();
            base = usedMemory(jedis);
            for (int i = 0; i < sample; i++) {
                String suffix = String.valueOf(i);
                String key = sampleKey.length() > suffix.length()
                        ? sampleKey.substring(0, sampleKey.length() - suffix.length()) + suffix : sampleKey + suffix;
                jedis.set(key, sampleValue);
            }
            filled = usedMemory(jedis);
            jedis.flushAll();
            base = Math.max(base, usedMemory(jedis));
        } catch (JedisException e) {
            throw new LabException("could not measure Redis memory on port " + redis.port() + ": " + e.getMessage(), e);
        } finally {
            open.forEach(Jedis::close);
        }
        double perEntry = Math.max(1, (filled - base) / (double) sample);
        return limit(base + HEADROOM + (long) Math.ceil(entries * perEntry), "allkeys-lru");
    }

    private static long usedMemory(Jedis jedis) {
        for (String line : jedis.info("memory").split("\r?\n")) {
            if (line.startsWith("used_memory:")) {
                return Long.parseLong(line.substring("used_memory:".length()).trim());
            }
        }
        throw new LabException("Redis INFO memory has no used_memory line");
    }

    /** The configured maxmemory in bytes (0 until {@link #limit}). */
    public long maxmemory() {
        return maxmemory;
    }

    /** Evictions since the server started (INFO stats, evicted_keys). */
    public long evictions() {
        try (Jedis jedis = pool.getResource()) {
            for (String line : jedis.info("stats").split("\r?\n")) {
                if (line.startsWith("evicted_keys:")) {
                    return Long.parseLong(line.substring("evicted_keys:".length()).trim());
                }
            }
        }
        throw new LabException("Redis INFO stats has no evicted_keys line");
    }

    @Override
    public String name() {
        return "Redis, maxmemory " + (maxmemory >> 10) + " kB, " + policy;
    }

    @Override
    public String get(String key) {
        try (Jedis jedis = pool.getResource()) {
            return jedis.get(key);
        }
    }

    @Override
    public void put(String key, String value) {
        try (Jedis jedis = pool.getResource()) {
            jedis.set(key, value);
        }
    }

    @Override
    public void invalidate(String key) {
        try (Jedis jedis = pool.getResource()) {
            jedis.del(key);
        }
    }

    @Override
    public long entries() {
        try (Jedis jedis = pool.getResource()) {
            return jedis.dbSize();
        }
    }

    @Override
    public void clear() {
        try (Jedis jedis = pool.getResource()) {
            jedis.flushAll();
        }
    }

    /** Closes the clients; the Redis server itself stops with its lab. */
    @Override
    public void close() {
        pool.close();
    }
}
