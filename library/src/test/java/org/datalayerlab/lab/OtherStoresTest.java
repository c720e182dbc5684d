package org.datalayerlab.lab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;

/** Redis, DuckDB and H2 for the polyglot and time-series topics. */
class OtherStoresTest {

    @Test
    void redisDuckdbAndH2() throws Exception {
        Redis redis;
        try (Lab lab = Lab.start("embedded")) {
            redis = lab.redis();
            try (Jedis j = redis.client()) {
                j.zadd("leaderboard", 42, "ada");
                j.zadd("leaderboard", 7, "bob");
                assertEquals("ada", j.zrevrange("leaderboard", 0, 0).iterator().next());
            }
            Connection duck = lab.duckdb();
            try (Statement s = duck.createStatement();
                 ResultSet rs = s.executeQuery("select sum(i) from range(1000) t(i)")) {
                rs.next();
                assertEquals(499500, rs.getLong(1));
            }
            Connection h2 = lab.h2();
            try (Statement s = h2.createStatement(); ResultSet rs = s.executeQuery("select 1 + 1")) {
                rs.next();
                assertEquals(2, rs.getInt(1));
            }
            assertTrue(redis.isRunning());
        }
        assertFalse(redis.isRunning(), "the lab stops Redis");
    }
}
