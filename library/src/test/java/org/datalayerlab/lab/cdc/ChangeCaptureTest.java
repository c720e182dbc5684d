package org.datalayerlab.lab.cdc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.sql.Connection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.datalayerlab.lab.Lab;
import org.datalayerlab.lab.LabException;
import org.datalayerlab.lab.Postgres;
import org.datalayerlab.lab.Settings;
import org.datalayerlab.lab.Wait;
import org.junit.jupiter.api.Test;

/** Debezium's embedded engine on a real PostgreSQL 17: changes, order, stop/start, crash redelivery, the outbox router. */
class ChangeCaptureTest {

    private static final Settings LOGICAL = Settings.of("wal_level", "logical", "synchronous_commit", "on");

    @Test
    void deliversEveryChangeInOrderAndResumesWhereItStopped() {
        try (Lab lab = Lab.start("embedded")) {
            Postgres pg = lab.postgres(LOGICAL);
            pg.execute("create table orders (id int primary key, status text not null)");
            pg.execute("create table other (id int primary key)");
            ChangeCapture cdc = ChangeCapture.of(lab, pg, "public.orders");
            pg.execute("insert into orders values (1, 'placed')"); // before start: kept by the slot
            Queue<Change> seen = new ConcurrentLinkedQueue<>();
            cdc.start(seen::add);
            pg.execute("update orders set status = 'paid' where id = 1");
            pg.execute("insert into other values (1)"); // not captured
            pg.execute("delete from orders where id = 1");
            cdc.awaitDelivered(3, Duration.ofSeconds(30));

            List<Change> changes = new ArrayList<>(seen);
            assertEquals("cud", "" + changes.get(0).operation() + changes.get(1).operation() + changes.get(2).operation());
            assertEquals("public.orders", changes.get(0).table());
            assertEquals(1, changes.get(0).id());
            assertEquals("placed", changes.get(0).get("status"));
            assertEquals("paid", changes.get(1).after().get("status"));
            assertNull(changes.get(2).after());
            assertTrue(changes.get(0).lsn() < changes.get(1).lsn() && changes.get(1).lsn() < changes.get(2).lsn());
            for (Change c : changes) {
                assertTrue(!c.latency().isNegative() && c.latency().compareTo(Duration.ofSeconds(30)) < 0, c.latency().toString());
            }

            cdc.stop();
            assertFalse(cdc.isRunning());
            assertTrue(Files.exists(cdc.offsetsFile()), "offsets stored");
            for (int i = 10; i < 20; i++) {
                pg.execute("insert into orders values (" + i + ", 'placed')");
            }
            assertTrue(cdc.retainedWalBytes() > 0);
            seen.clear();
            cdc.start(seen::add);
            cdc.awaitDelivered(13, Duration.ofSeconds(30));
            Set<Object> ids = new HashSet<>();
            seen.forEach(c -> ids.add(c.id()));
            assertEquals(10, seen.size(), "after a clean stop: the ten new inserts, none again: " + seen);
            assertEquals(10, ids.size());
            assertThrows(IllegalStateException.class, () -> cdc.start(seen::add));
            cdc.close();
            assertEquals(0, pg.queryLong("select count(*) from pg_replication_slots"));
            assertEquals(0, pg.queryLong("select count(*) from pg_publication"));
            assertFalse(Files.exists(cdc.offsetsFile().getParent()), "offsets folder deleted");
        }
    }

    @Test
    void afterACrashTheChangesSinceTheLastStoredPositionComeAgain() {
        try (Lab lab = Lab.start("embedded")) {
            Postgres pg = lab.postgres(LOGICAL);
            pg.execute("create table kv (id int primary key, v int not null)");
            ChangeCapture cdc = ChangeCapture.of(lab, pg, "public.kv").commitEvery(Duration.ofMinutes(10));
            Queue<Change> seen = new ConcurrentLinkedQueue<>();
            cdc.startBatches(seen::addAll); // batches: the same changes, handed over in bulk
            for (int i = 0; i < 20; i++) {
                pg.execute("insert into kv values (" + i + ", 0)");
            }
            cdc.awaitDelivered(20, Duration.ofSeconds(30));
            cdc.crash(); // the engine stores a position at its first batch, then not for ten minutes
            pg.execute("insert into kv values (100, 0)");
            cdc.start(seen::add);
            Wait.upTo(Duration.ofSeconds(30)).until(() -> seen.stream().anyMatch(c -> c.id().equals(100)),
                    () -> "the insert after the crash was not delivered: " + seen);
            cdc.stop();
            assertTrue(seen.size() > 21 + 10, "most of the 20 came twice: " + seen.size() + " deliveries");
            assertEquals(21, seen.stream().map(Change::id).distinct().count());
        }
    }

    @Test
    void theOutboxRouterTurnsOutboxRowsIntoEvents() throws Exception {
        try (Lab lab = Lab.start("embedded")) {
            Postgres pg = lab.postgres(LOGICAL);
            pg.execute("create table orders (id int primary key, status text not null)");
            Outbox.create(pg, "outbox");
            ChangeCapture cdc = ChangeCapture.of(lab, pg, "public.outbox");
            Queue<OutboxEvent> events = new ConcurrentLinkedQueue<>();
            cdc.startOutbox(events::add);
            String id;
            try (Connection c = pg.connect()) {
                c.setAutoCommit(false);
                c.createStatement().execute("insert into orders values (42, 'placed')");
                id = Outbox.write(c, "outbox", "order", "42", "OrderPlaced", "{\"id\": 42}");
                c.createStatement().execute("delete from outbox"); // the router ignores deletes
                c.commit();
            }
            cdc.awaitDelivered(1, Duration.ofSeconds(30));
            cdc.stop();
            OutboxEvent e = events.peek();
            assertEquals(1, events.size());
            assertEquals(id, e.id());
            assertEquals("order", e.aggregateType());
            assertEquals("42", e.aggregateId());
            assertEquals("OrderPlaced", e.type());
            assertTrue(e.payload().contains("42"), e.payload());
        }
    }

    @Test
    void aSlotPastMaxSlotWalKeepSizeIsInvalidatedAndCannotStreamAgain() {
        try (Lab lab = Lab.start("embedded")) {
            Postgres pg = lab.postgres(LOGICAL.with("max_slot_wal_keep_size", "32MB"));
            pg.execute("create table t (id int primary key)");
            ChangeCapture cdc = ChangeCapture.of(lab, pg, "public.t");
            assertEquals("reserved", cdc.walStatus());
            for (int i = 0; i < 4; i++) { // four 16 MB segments past the slot while no consumer reads
                pg.execute("insert into t values (" + i + ")");
                pg.queryString("select pg_switch_wal()");
            }
            pg.execute("checkpoint");
            assertEquals("lost", cdc.walStatus());
            LabException e = assertThrows(LabException.class, () -> cdc.start(c -> { }));
            assertTrue(e.getMessage().contains("invalidated") && e.getMessage().contains("wal_removed"), e.getMessage());
        }
    }

    @Test
    void refusesAServerWithoutLogicalDecodingAndBadNames() {
        try (Lab lab = Lab.start("embedded")) {
            Postgres pg = lab.postgres();
            LabException e = assertThrows(LabException.class, () -> ChangeCapture.of(lab, pg, "public.t"));
            assertTrue(e.getMessage().contains("wal_level=logical"), e.getMessage());
            assertThrows(IllegalArgumentException.class, () -> ChangeCapture.of(lab, pg, "orders"));
        }
    }
}
