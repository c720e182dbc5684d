package org.datalayerlab.lab.migration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.datalayerlab.lab.Lab;
import org.datalayerlab.lab.LabException;
import org.datalayerlab.lab.Postgres;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Flyway migrations against a real server: transactions, CONCURRENTLY, batched backfill, lock_timeout retries. */
class MigrationsTest {

    static Lab lab;
    static Postgres pg;

    @BeforeAll
    static void start() {
        lab = Lab.start("embedded");
        pg = lab.postgres();
    }

    @AfterAll
    static void stop() {
        lab.close();
    }

    @Test
    @Timeout(60)
    void appliesSqlConcurrentIndexAndBatchedBackfillInVersionOrder() {
        BatchedBackfill backfill = new BatchedBackfill("3", "backfill b", "select min(id), max(id) from t",
                "update t set b = a * 2 where id >= ? and id < ? and b is null", 300, Duration.ZERO);
        try (Migrations m = Migrations.on(pg, "first")
                .sql("1", "create t", "create table t (id serial primary key, a int not null);"
                        + " insert into t (a) select g from generate_series(1, 1000) g;")
                .sql("2", "add b", "alter table t add column b int")
                .java(backfill)
                .sqlOutsideTransaction("4", "index b", "create index concurrently t_b on t (b)")) {
            // an open transaction elsewhere, as a live application has: the concurrent build waits only for transactions
            // that started before it, so this finishes (with Flyway's lock inside a transaction it would wait for ever)
            assertEquals(1, m.migrateTo("2").attempts());
            assertEquals(0, pg.queryLong("select count(b) from first.t"));
            m.migrateTo("4");
            assertEquals(1000, backfill.rows());
            assertEquals(4, backfill.batches());
            assertEquals(1000, pg.queryLong("select count(*) from first.t where b = a * 2"));
            assertEquals("t", pg.queryString("select indisvalid from pg_index where indexrelid = 'first.t_b'::regclass"));
            assertEquals(List.of("1", "2", "3", "4"), m.history().stringColumn("version").asList());
            assertEquals(4, m.steps().size() + 2);
        }
    }

    @Test
    @Timeout(60)
    void retriesAStepStoppedByLockTimeoutUntilTheLockIsFree() {
        try (Migrations m = Migrations.on(pg, "retry")
                .sql("1", "create t", "create table t (id int)")
                .sql("2", "add column", "set local lock_timeout = '50ms'; alter table t add column b int")
                .retryOnLockTimeout(40, Duration.ofMillis(20), Duration.ofMillis(100))) {
            List<String> started = new CopyOnWriteArrayList<>();
            m.beforeEachMigration(started::add);
            m.migrateTo("1");
            assertEquals(List.of("1"), started);
            try (LongTransaction report = LongTransaction.start(m.appDataSource(), "select count(*) from t", Duration.ofSeconds(30))) {
                // the report ends 0.6 s after the first attempt at V2 reached the server, however long Flyway took to get there
                m.beforeEachMigration(version -> {
                    if (started.add(version) && started.size() == 2) {
                        Thread closer = new Thread(() -> {
                            sleepMillis(600);
                            report.close();
                        });
                        closer.setDaemon(true);
                        closer.start();
                    }
                });
                Migrations.Step step = m.migrateTo("2");
                assertTrue(step.lockTimeouts() >= 2, step.toString());
                assertEquals(step.lockTimeouts() + 1, step.attempts());
                assertEquals(step.attempts() + 1, started.size(), "every attempt announced: " + started);
                assertTrue(report.seconds() >= 0.6, "the report was open for " + report.seconds() + " s");
            }
            assertEquals(1, pg.queryLong("select count(*) from information_schema.columns where table_schema = 'retry' and column_name = 'b'"));
        }
    }

    private static void sleepMillis(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Test
    @Timeout(60)
    void withoutRetriesALockTimeoutFailsCleanlyAndALaterRunApplies() {
        try (Migrations m = Migrations.on(pg, "once")
                .sql("1", "create t", "create table t (id int)")
                .sql("2", "add column", "set local lock_timeout = '50ms'; alter table t add column b int")) {
            m.migrateTo("1");
            try (LongTransaction report = LongTransaction.start(m.appDataSource(), "select count(*) from t", Duration.ofSeconds(30))) {
                LabException e = assertThrows(LabException.class, () -> m.migrateTo("2"));
                assertTrue(e.getMessage().contains("version 2") && e.getMessage().contains("lock timeout"), e.getMessage());
            }
            // the failed migration was rolled back with its history row: the next deploy just runs it
            assertEquals(1, m.migrateTo("2").attempts());
            assertEquals(List.of("1", "2"), m.history().stringColumn("version").asList());
        }
    }

    @Test
    void rejectsBadNamesWithAClearMessage() {
        assertThrows(IllegalArgumentException.class, () -> Migrations.on(pg, "Bad-Name"));
        try (Migrations m = Migrations.on(pg, "names")) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> m.sql("two", "x", "select 1"));
            assertTrue(e.getMessage().contains("numbers separated by dots"), e.getMessage());
        }
    }
}
