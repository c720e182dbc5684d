package org.datalayerlab.lab.partition;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import org.datalayerlab.lab.Lab;
import org.datalayerlab.lab.Postgres;
import org.datalayerlab.lab.measure.Explain;
import org.datalayerlab.lab.net.NetworkLink;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** A coordinator and two real shards joined by postgres_fdw foreign partitions. */
class ForeignShardsTest {

    static Lab lab;
    static Postgres coordinator;
    static List<Postgres> shards;

    @BeforeAll
    static void start() {
        lab = Lab.start("embedded");
        coordinator = lab.postgres();
        shards = lab.servers(2);
        coordinator.execute("create table t (k int not null, v int not null) partition by hash (k)");
        for (int i = 0; i < 2; i++) {
            shards.get(i).execute("create table t (k int not null, v int not null)");
            ForeignShards.attach(coordinator, "shard" + i, shards.get(i));
            coordinator.execute("create foreign table t" + i + " partition of t for values with (modulus 2, remainder " + i + ")"
                    + " server shard" + i + " options (table_name 't', batch_size '500')");
        }
        coordinator.execute("insert into t select g % 50, g from generate_series(1, 2000) g");
    }

    @AfterAll
    static void stop() {
        lab.close();
    }

    @Test
    void rowsInsertedOnTheCoordinatorLandOnTheShards() {
        long first = shards.get(0).queryLong("select count(*) from t");
        long second = shards.get(1).queryLong("select count(*) from t");
        assertEquals(2000, first + second);
        assertTrue(first > 0 && second > 0, first + " and " + second);
        assertEquals(List.of("t0", "t1"), Partitions.of(coordinator, "t"));
    }

    @Test
    void partitionwiseAggregationPullsOneRowPerGroupInsteadOfEveryRow() throws Exception {
        String sql = "select k, sum(v) from t group by k";
        try (Connection c = coordinator.connect(); Statement s = c.createStatement()) {
            s.execute("set enable_partitionwise_aggregate = off");
            assertEquals(2000, Partitions.foreignRows(Explain.analyze(c, sql)));
            s.execute("set enable_partitionwise_aggregate = on");
            Explain.Plan pushed = Explain.analyze(c, sql);
            assertEquals(50, Partitions.foreignRows(pushed), pushed.text());
            assertEquals(2, Partitions.scanned(pushed).size(), pushed.text());
        }
    }

    @Test
    void aForeignServerCanBePointedAtALinkAndBack() {
        Postgres shard = shards.get(1);
        try (NetworkLink link = shard.link().delay(Duration.ofMillis(30), Duration.ZERO)) {
            ForeignShards.pointAt(coordinator, "shard1", link.host(), link.port());
            long t0 = System.nanoTime();
            long rows = coordinator.queryLong("select count(*) from t1");
            long ms = (System.nanoTime() - t0) / 1_000_000;
            assertEquals(shard.queryLong("select count(*) from t"), rows);
            assertTrue(ms >= 30, "a query through a 30 ms link took " + ms + " ms");
        } finally {
            ForeignShards.pointAt(coordinator, "shard1", shard.host(), shard.port());
        }
        assertTrue(coordinator.queryLong("select count(*) from t1") > 0);
    }

    @Test
    void detachRemovesTheServerAndItsTablesAndABadNameIsRefused() {
        Postgres extra = lab.postgres();
        extra.execute("create table x (a int); insert into x values (1)");
        ForeignShards.attach(coordinator, "extra", extra);
        coordinator.execute("create foreign table x_remote (a int) server extra options (table_name 'x')");
        assertEquals(1, coordinator.queryLong("select count(*) from x_remote"));
        ForeignShards.detach(coordinator, "extra");
        assertEquals(null, coordinator.queryString("select to_regclass('x_remote')::text"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ForeignShards.attach(coordinator, "Shard-1", extra));
        assertTrue(e.getMessage().contains("shard0"), e.getMessage());
    }
}
