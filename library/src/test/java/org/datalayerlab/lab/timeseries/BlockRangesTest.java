package org.datalayerlab.lab.timeseries;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.datalayerlab.lab.Lab;
import org.datalayerlab.lab.Postgres;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tech.tablesaw.api.Table;

/** Block ranges and correlation of the same rows stored in time order and shuffled, on a real server. */
class BlockRangesTest {

    static Lab lab;
    static Postgres server;

    @BeforeAll
    static void start() {
        lab = Lab.start("embedded");
        server = lab.postgres();
        server.execute("create table ordered as select g as id, timestamp '2025-01-01' + g * interval '1 minute' as at"
                + " from generate_series(0, 47999) g order by g");
        server.execute("select setseed(0.5); create table shuffled as select * from ordered order by random()");
        server.execute("analyze ordered");
        server.execute("analyze shuffled");
    }

    @AfterAll
    static void stop() {
        lab.close();
    }

    @Test
    void rowsInTimeOrderGiveNarrowRangesShuffledOnesSpanEverything() {
        Table ordered = BlockRanges.of(server, "ordered", "at", 16);
        Table shuffled = BlockRanges.of(server, "shuffled", "at", 16);
        long pages = server.queryLong("select pg_relation_size('ordered') / 8192");
        assertTrue(ordered.rowCount() >= 2 && ordered.rowCount() <= (pages + 15) / 16, "one row per 16-page range of "
                + pages + " pages, was " + ordered.rowCount());
        assertEquals(48_000, (long) ordered.numberColumn("rows").sum(), "every row counted once");
        double hours = 48_000 / 60.0;
        assertTrue(BlockRanges.medianSpanHours(ordered) < hours / ordered.rowCount() * 1.5,
                "ordered: a range spans about its share of the time, was " + BlockRanges.medianSpanHours(ordered));
        assertTrue(BlockRanges.medianSpanHours(shuffled) > hours * 0.9,
                "shuffled: a range spans nearly all the time, was " + BlockRanges.medianSpanHours(shuffled));
    }

    @Test
    void correlationComesFromThePlannersStatistics() {
        assertTrue(BlockRanges.correlation(server, "ordered", "at") > 0.99);
        assertTrue(Math.abs(BlockRanges.correlation(server, "shuffled", "at")) < 0.1);
    }

    @Test
    void badInputSaysWhatToDo() {
        server.execute("create table if not exists unanalyzed (at timestamp)");
        IllegalStateException noStats = assertThrows(IllegalStateException.class,
                () -> BlockRanges.correlation(server, "unanalyzed", "at"));
        assertTrue(noStats.getMessage().contains("run ANALYZE unanalyzed"), noStats.getMessage());
        assertThrows(IllegalArgumentException.class, () -> BlockRanges.of(server, "ordered; drop table x", "at", 128));
        IllegalArgumentException zero = assertThrows(IllegalArgumentException.class, () -> BlockRanges.of(server, "ordered", "at", 0));
        assertTrue(zero.getMessage().contains("128"), zero.getMessage());
    }
}
