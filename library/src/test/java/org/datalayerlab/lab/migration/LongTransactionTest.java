package org.datalayerlab.lab.migration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.datalayerlab.lab.Lab;
import org.datalayerlab.lab.LabException;
import org.datalayerlab.lab.Postgres;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** A long transaction on a real server: holds its locks, queues an ALTER behind it, ends on time or on close. */
class LongTransactionTest {

    static Lab lab;
    static Postgres pg;

    @BeforeAll
    static void start() {
        lab = Lab.start("embedded");
        pg = lab.postgres();
        pg.execute("create table t (id int); insert into t values (1)");
    }

    @AfterAll
    static void stop() {
        lab.close();
    }

    @Test
    @Timeout(30)
    void holdsAccessShareSoAnAlterWithLockTimeoutFailsUntilItEnds() throws Exception {
        AtomicLong endedAt = new AtomicLong();
        try (LongTransaction report = LongTransaction.start(pg.dataSource(), "select count(*) from t", Duration.ofMillis(600))) {
            report.onEnd(() -> endedAt.set(System.nanoTime()));
            try (Connection c = pg.connect(); Statement s = c.createStatement()) {
                s.execute("set lock_timeout = '50ms'");
                SQLException e = assertThrows(SQLException.class, () -> s.execute("alter table t add column x int"));
                assertEquals("55P03", e.getSQLState());
                report.await();
                s.execute("alter table t add column x int");
            }
            assertTrue(report.seconds() >= 0.55, "open for " + report.seconds() + " s");
        }
        assertTrue(endedAt.get() > 0, "the end action ran");
    }

    @Test
    @Timeout(30)
    void closeEndsItEarly() {
        long start = System.nanoTime();
        try (LongTransaction report = LongTransaction.start(pg.dataSource(), "select count(*) from t", Duration.ofSeconds(20))) {
            assertTrue(report.seconds() < 5);
        }
        assertTrue((System.nanoTime() - start) / 1e9 < 5, "close ended the 20 s transaction early");
        assertEquals(0, pg.queryLong("select count(*) from pg_locks l join pg_class c on c.oid = l.relation where c.relname = 't'"));
    }

    @Test
    void aFailingQueryIsReportedWithItsMessage() {
        LabException e = assertThrows(LabException.class,
                () -> LongTransaction.start(pg.dataSource(), "select * from no_such_table", Duration.ofSeconds(1)));
        assertTrue(e.getMessage().contains("no_such_table"), e.getMessage());
    }
}
