package org.datalayerlab.lab.transactions;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.datalayerlab.lab.Lab;
import org.datalayerlab.lab.LabException;
import org.datalayerlab.lab.Postgres;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The orchestrator over two real servers, each keeping a keyed ledger (the idempotent service pattern). */
class SagaTest {

    static Lab lab;
    static Postgres payments;
    static Postgres stock;

    @BeforeAll
    static void start() {
        lab = Lab.start("embedded");
        List<Postgres> servers = lab.servers(2);
        payments = servers.get(0);
        stock = servers.get(1);
        for (Postgres p : servers) {
            p.execute("create table ledger (key text primary key, amount int not null)");
        }
    }

    @BeforeEach
    void empty() {
        payments.execute("truncate ledger");
        stock.execute("truncate ledger");
    }

    @AfterAll
    static void stop() {
        lab.close();
    }

    /** Applies {@code amount} once per key: a repeated key changes nothing. */
    static void apply(Postgres server, String key, int amount) throws Exception {
        try (Connection c = server.connect();
             PreparedStatement s = c.prepareStatement("insert into ledger values (?, ?) on conflict (key) do nothing")) {
            s.setString(1, key);
            s.setInt(2, amount);
            s.executeUpdate();
        }
    }

    static long sum(Postgres server) {
        return server.queryLong("select coalesce(sum(amount), 0) from ledger");
    }

    @Test
    void aFailedStepUndoesTheCompletedOnesInReverseOrder() {
        StringBuilder order = new StringBuilder();
        Saga.Outcome o = Saga.of("s1")
                .step("charge", k -> { apply(payments, k, 10); order.append("charge "); }, k -> { apply(payments, k, -10); order.append("refund "); })
                .step("reserve", k -> { apply(stock, k, 1); order.append("reserve "); }, k -> { apply(stock, k, -1); order.append("release "); })
                .step("ship", k -> { throw new IllegalStateException("no courier"); }, k -> { })
                .run();
        assertFalse(o.completed());
        assertEquals(List.of("charge", "reserve"), o.done());
        assertEquals(List.of("reserve", "charge"), o.compensated());
        assertEquals("charge reserve release refund ", order.toString());
        assertTrue(o.failure().contains("no courier"), o.failure());
        assertEquals(0, sum(payments));
        assertEquals(0, sum(stock));
    }

    @Test
    void retriesWithTheSameKeyApplyOnceAndWithoutKeysTwice() {
        for (boolean keys : new boolean[] {true, false}) {
            empty();
            AtomicInteger calls = new AtomicInteger();
            Saga saga = Saga.of("s2").step("charge", k -> {
                apply(payments, k, 10);
                if (calls.incrementAndGet() == 1) {
                    throw new Saga.Retry("reply lost after the commit");
                }
            }, k -> { });
            Saga.Outcome o = (keys ? saga : saga.withoutIdempotencyKeys()).run();
            assertTrue(o.completed());
            assertEquals(1, o.retries());
            assertEquals(keys ? 10 : 20, sum(payments), keys ? "applied once" : "applied twice");
        }
    }

    @Test
    void aStepThatNeverAnswersIsCompensatedToo() {
        Saga.Outcome o = Saga.of("s3").retries(2)
                .step("charge", k -> { apply(payments, k, 10); throw new Saga.Retry("timeout"); }, k -> apply(payments, k, -10))
                .run();
        assertFalse(o.completed());
        assertEquals(2, o.retries());
        assertEquals(List.of("charge"), o.compensated());
        assertEquals(0, sum(payments));
    }

    @Test
    void aCompensationThatKeepsFailingStopsTheSagaLoudly() {
        LabException stuck = assertThrows(LabException.class, () -> Saga.of("s4")
                .step("charge", k -> apply(payments, k, 10), k -> { throw new Saga.Retry("down"); })
                .step("fail", k -> { throw new IllegalStateException("boom"); }, k -> { })
                .run());
        assertTrue(stuck.getMessage().contains("needs a person"), stuck.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Saga.of(" "));
        assertThrows(IllegalStateException.class, () -> Saga.of("empty").run());
    }
}
