package org.datalayerlab.lab.writes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import javax.sql.DataSource;
import org.datalayerlab.lab.Lab;
import org.datalayerlab.lab.Postgres;
import org.datalayerlab.lab.measure.Result;
import org.datalayerlab.lab.workload.Driver;
import org.junit.jupiter.api.Test;

/** The ways to insert rows write the same rows; settings reach the session; unlogged writes no WAL. */
class EventTableTest {

    @Test
    void everyWayWritesTheSameRowsAndUnloggedWritesNoWal() throws Exception {
        try (Lab lab = Lab.start("embedded")) {
            Postgres server = lab.postgres();
            DataSource plain = EventTable.client(server, false);
            EventTable events = EventTable.on(server, "events");
            List<String> sums = new java.util.ArrayList<>();
            for (String way : List.of("one", "batched", "rewritten", "copy")) {
                WriteRun run = switch (way) {
                    case "one" -> events.create().insertOneByOne(plain, 300);
                    case "batched" -> events.create().insertBatched(plain, 300, 64);
                    case "rewritten" -> events.create().insertBatched(EventTable.client(server, true), 300, 64);
                    default -> events.create().copy(plain, 300);
                };
                assertEquals(300, run.rows());
                assertEquals(300, events.count(), way);
                assertTrue(run.walBytes() > 300 * 50, way + " writes WAL: " + run);
                sums.add(server.queryString("select sum(amount)::text || '/' || sum(account) || '/' || max(note) || '/' || max(created_at) from events"));
            }
            assertEquals(1, sums.stream().distinct().count(), "the same rows every way: " + sums);

            EventTable unlogged = EventTable.on(server, "events_unlogged").unlogged(true).create();
            WriteRun quiet = unlogged.copy(plain, 2000);
            assertTrue(quiet.walBytesPerRow() < 5, "an unlogged table writes (almost) no WAL: " + quiet);
            assertEquals("u", server.queryString("select relpersistence from pg_class where relname = 'events_unlogged'"));

            EventTable indexed = EventTable.on(server, "events_indexed").secondaryIndexes(4).create();
            assertEquals(5, server.queryLong("select count(*) from pg_indexes where tablename = 'events_indexed'"));
            assertTrue(indexed.copy(plain, 1000).walBytesPerRow() > 2 * events.create().copy(plain, 1000).walBytesPerRow());
        }
    }

    @Test
    void clientSettingsReachTheSessionAndTheWorkloadCommitsEachRow() throws Exception {
        try (Lab lab = Lab.start("embedded")) {
            Postgres server = lab.postgres();
            DataSource async = EventTable.client(server, false, "synchronous_commit", "off", "commit_delay", "10");
            try (Connection c = async.getConnection(); Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery("select current_setting('synchronous_commit'), current_setting('commit_delay')")) {
                rs.next();
                assertEquals("off", rs.getString(1));
                assertEquals("10", rs.getString(2));
            }
            assertEquals("on", server.show("synchronous_commit"), "the server's own setting is unchanged");
            EventTable events = EventTable.on(server, "events").create();
            Result r = Driver.closedLoop(events.oneRowPerTransaction(async)).threads(3).operations(150).run();
            assertEquals(0, r.errors());
            assertEquals(150, events.count());
            assertEquals(150, server.queryLong("select count(distinct id) from events"));
        }
    }

    @Test
    void badInputSaysWhatToDo() {
        var e = assertThrows(IllegalArgumentException.class, () -> EventTable.client(null, false, "synchronous_commit"));
        assertTrue(e.getMessage().contains("pairs"), e.getMessage());
        assertThrows(NullPointerException.class, () -> EventTable.on(null, "x"));
        assertThrows(IllegalArgumentException.class, () -> EventTable.on(null, "Bad Name"));
        assertThrows(IllegalArgumentException.class, () -> WriteRun.table("empty", List.of()));
    }
}
