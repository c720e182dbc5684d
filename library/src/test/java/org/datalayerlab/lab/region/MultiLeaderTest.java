package org.datalayerlab.lab.region;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import org.datalayerlab.lab.Lab;
import org.datalayerlab.lab.LabException;
import org.datalayerlab.lab.Postgres;
import org.datalayerlab.lab.Settings;
import org.datalayerlab.lab.Wait;
import org.junit.jupiter.api.Test;

/** Two leaders replicating both ways: changes flow, concurrent updates diverge, a duplicate insert stops the apply worker. */
class MultiLeaderTest {

    @Test
    void changesFlowBothWaysConflictsDivergeAndDuplicatesStopTheApplyWorker() {
        try (Lab lab = Lab.start("embedded")) {
            Regions world = Regions.of(lab, 1).roundTrip("east", "west", 400);
            List<Postgres> leaders = lab.servers(2, Settings.of("wal_level", "logical"));
            Postgres east = world.place(leaders.get(0), "east");
            Postgres west = world.place(leaders.get(1), "west");
            for (Postgres p : leaders) {
                p.execute("create table kv (id int primary key, v text not null)");
                p.execute("insert into kv values (1, 'start')");
            }
            try (MultiLeader ml = MultiLeader.mesh(world, "ml", leaders, "kv")) {
                assertEquals(2, ml.statements().stream().filter(s -> s.contains("create subscription")).count());
                assertTrue(ml.statements().stream().noneMatch(s -> s.contains("password=" + east.password() + " ")));
                east.execute("insert into kv values (2, 'from east')");
                awaitValue(west, 2, "from east");
                west.execute("insert into kv values (3, 'from west')");
                awaitValue(east, 3, "from west");
                assertEquals(0, ml.differingRows("kv", "id"));

                // both update key 1 before either change arrives (200 ms each way, far more than two statements take): each applies the other's row
                east.execute("update kv set v = 'east wins' where id = 1");
                west.execute("update kv set v = 'west wins' where id = 1");
                east.execute("insert into kv values (4, 'marker')");
                west.execute("insert into kv values (5, 'marker')");
                awaitValue(west, 4, "marker");
                awaitValue(east, 5, "marker");
                assertEquals("west wins", east.queryString("select v from kv where id = 1"));
                assertEquals("east wins", west.queryString("select v from kv where id = 1"));
                assertEquals(1, ml.differingRows("kv", "id"));

                // the same key inserted on both sides: each side's apply worker hits a unique violation
                east.execute("insert into kv values (6, 'east')");
                west.execute("insert into kv values (6, 'west')");
                Wait.upTo(Duration.ofSeconds(30)).until(() -> ml.applyErrors(east) > 0 && ml.applyErrors(west) > 0,
                        () -> "apply errors: east " + ml.applyErrors(east) + ", west " + ml.applyErrors(west));
            }
            for (Postgres p : leaders) {
                assertEquals(0, p.queryLong("select count(*) from pg_subscription"));
                assertEquals(0, p.queryLong("select count(*) from pg_replication_slots"));
            }
        }
    }

    @Test
    void leadersNeedLogicalWal() {
        try (Lab lab = Lab.start("embedded")) {
            Regions world = Regions.of(lab, 1).roundTrip("east", "west", 20);
            List<Postgres> leaders = lab.servers(2);
            world.place(leaders.get(0), "east");
            world.place(leaders.get(1), "west");
            LabException e = assertThrows(LabException.class, () -> MultiLeader.mesh(world, "ml", leaders, "kv"));
            assertTrue(e.getMessage().contains("wal_level"), e.getMessage());
        }
    }

    private static void awaitValue(Postgres p, int id, String value) {
        Wait.upTo(Duration.ofSeconds(30)).until(() -> value.equals(p.queryString("select v from kv where id = " + id)),
                () -> p.name() + " never saw row " + id + " = " + value);
    }
}
