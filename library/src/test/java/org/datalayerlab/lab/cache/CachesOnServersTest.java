package org.datalayerlab.lab.cache;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.datalayerlab.lab.Lab;
import org.datalayerlab.lab.Postgres;
import org.datalayerlab.lab.Redis;
import org.datalayerlab.lab.measure.Result;
import org.datalayerlab.lab.workload.Driver;
import org.datalayerlab.lab.workload.Keys;
import org.datalayerlab.lab.workload.Ycsb;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;

/** Redis bounded by maxmemory, and cache-aside reads in front of a real PostgreSQL server. */
class CachesOnServersTest {

    private static Lab lab;
    private static Redis redis;
    private static Postgres server;

    @BeforeAll
    static void start() {
        lab = Lab.start("embedded");
        redis = lab.redis();
        server = lab.postgres();
        Ycsb.usertable(server.dataSource()).records(2000).fields(2).fieldLength(50).load();
    }

    @AfterAll
    static void stop() {
        lab.close();
    }

    @Test
    void redisIsBoundedByMaxmemoryAndEvictsInsteadOfRefusing() {
        try (RedisCache cache = RedisCache.on(redis, 1).limitToEntries(300, Ycsb.key(1), "v".repeat(100))) {
            try (Jedis jedis = redis.client()) {
                assertEquals("allkeys-lru", jedis.configGet("maxmemory-policy").get(1));
                assertEquals(String.valueOf(RedisCache.SAMPLES), jedis.configGet("maxmemory-samples").get(1));
                assertEquals(String.valueOf(cache.maxmemory()), jedis.configGet("maxmemory").get(1));
            }
            long evictedBefore = cache.evictions();
            var replay = CacheAside.replay(cache, Keys.zipfian(2000), 5, 2000, 3000, 100);
            assertTrue(replay.entries() >= 240 && replay.entries() <= 360, "about 300 entries held, got " + replay.entries());
            assertTrue(cache.evictions() > evictedBefore, "a full cache evicts");
            cache.put("k", "v");
            assertEquals("v", cache.get("k"));
            cache.invalidate("k");
            assertNull(cache.get("k"));
        }
        var e = assertThrows(IllegalArgumentException.class, () -> RedisCache.on(redis, 1).limit(1 << 20, "noeviction"));
        assertTrue(e.getMessage().contains("allkeys-lru"), e.getMessage());
    }

    @Test
    void cacheAsideReadsCountHitsAndMissesAndReturnTheDatabaseValue() throws Exception {
        CacheAside cached = new CacheAside(InProcessCache.of(200));
        String key = Ycsb.key(7);
        String fromDb = server.queryString("select field0 from usertable where ycsb_key = '" + key + "'");
        assertEquals(fromDb, cached.read(key, k -> fromDb));
        assertEquals(fromDb, cached.read(key, k -> {
            throw new AssertionError("a hit must not load");
        }));
        assertEquals(1, cached.hits());
        assertEquals(1, cached.misses());

        Result direct = Driver.closedLoop(CacheAside.reads(server.dataSource(), "usertable", Keys.zipfian(2000), null))
                .threads(2).operations(2000).run();
        assertEquals(2000, direct.kind("database").operations());
        cached.resetCounts();
        Result through = Driver.closedLoop(CacheAside.reads(server.dataSource(), "usertable", Keys.zipfian(2000), cached))
                .threads(2).warmup(Duration.ofMillis(200)).operations(4000).run();
        assertEquals(0, through.errors());
        assertTrue(through.kind("hit").operations() > through.kind("miss").operations(), "zipf 0.99, 10% cached: most reads hit");
        assertTrue(cached.hitRate() > 0.5 && cached.hitRate() < 0.9, "hit rate " + cached.hitRate());
        assertTrue(cached.cache().entries() <= 200);
    }
}
