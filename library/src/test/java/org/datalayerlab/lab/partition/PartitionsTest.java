package org.datalayerlab.lab.partition;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.Statement;
import java.util.List;
import org.datalayerlab.lab.Lab;
import org.datalayerlab.lab.Postgres;
import org.datalayerlab.lab.measure.Explain;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Partitions against a real server: what plans read, with and without pruning, and table sizes. */
class PartitionsTest {

    static Lab lab;
    static Postgres pg;

    @BeforeAll
    static void start() {
        lab = Lab.start("embedded");
        pg = lab.postgres();
        pg.execute("create table events (id int not null, day date not null) partition by range (day);"
                + "create table events_1 partition of events for values from ('2025-01-01') to ('2025-02-01');"
                + "create table events_2 partition of events for values from ('2025-02-01') to ('2025-03-01');"
                + "create table events_3 partition of events for values from ('2025-03-01') to ('2025-04-01');"
                + "insert into events select g, date '2025-01-01' + (g % 90) from generate_series(1, 9000) g;"
                + "create table plain (id int); insert into plain select generate_series(1, 1000)");
        pg.execute("analyze");
    }

    @AfterAll
    static void stop() {
        lab.close();
    }

    @Test
    void listsTheLeafPartitions() {
        assertEquals(List.of("events_1", "events_2", "events_3"), Partitions.of(pg, "events"));
    }

    @Test
    void aPrunedQueryReadsOnePartitionAndWithoutPruningAll() throws Exception {
        String sql = "select count(*) from events where day >= '2025-02-01' and day < '2025-03-01'";
        try (Connection c = pg.connect(); Statement s = c.createStatement()) {
            assertEquals(List.of("events_2"), Partitions.scanned(Explain.analyze(c, sql)));
            assertEquals(List.of("events_2"), Partitions.scanned(Explain.plan(c, sql)));
            s.execute("set enable_partition_pruning = off");
            assertEquals(List.of("events_1", "events_2", "events_3"), Partitions.scanned(Explain.analyze(c, sql)));
        }
    }

    @Test
    void aGenericPlanPrunesWhenTheExecutorStarts() throws Exception {
        try (Connection c = pg.connect(); Statement s = c.createStatement()) {
            s.execute("set plan_cache_mode = force_generic_plan");
            s.execute("prepare one_day(date) as select count(*) from events where day = $1");
            Explain.Plan p = Explain.analyze(c, "execute one_day('2025-03-05')");
            assertEquals(List.of("events_3"), Partitions.scanned(p), p.text());
            assertEquals(2, Partitions.subplansRemoved(p), p.text());
        }
    }

    @Test
    void partitionsSkippedDuringTheRunDoNotCountAsRead() throws Exception {
        // the subquery's value is known only while the query runs: the outer scan reads 1 partition,
        // its other 2 are "(never executed)"; the subquery itself reads all 3
        String sql = "select count(*) from events where day = (select max(day) from events where id < 10)";
        try (Connection c = pg.connect()) {
            Explain.Plan p = Explain.analyze(c, sql);
            assertEquals(6, p.nodes("Seq Scan").size(), p.text());
            assertEquals(4, Partitions.scanned(p).size(), p.text());
        }
    }

    @Test
    void sizesCountEveryPartitionOrThePlainTable() {
        long parts = pg.queryLong("select sum(pg_total_relation_size(c)) from unnest(array['events_1', 'events_2', 'events_3']::regclass[]) c");
        assertEquals(parts, Partitions.totalBytes(pg, "events"));
        assertEquals(pg.queryLong("select pg_total_relation_size('plain')"), Partitions.totalBytes(pg, "plain"));
        assertTrue(Partitions.totalBytes(pg, "plain") > 0);
    }

    @Test
    void aTableNameThatIsNotPlainIsRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Partitions.of(pg, "events; drop table events"));
        assertTrue(e.getMessage().contains("plain table name"), e.getMessage());
    }
}
