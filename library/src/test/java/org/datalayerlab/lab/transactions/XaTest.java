package org.datalayerlab.lab.transactions;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.transaction.RollbackException;
import jakarta.transaction.TransactionManager;
import java.nio.file.Files;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.sql.XAConnection;
import javax.sql.XADataSource;
import javax.transaction.xa.XAResource;
import javax.transaction.xa.Xid;
import org.datalayerlab.lab.Lab;
import org.datalayerlab.lab.Postgres;
import org.datalayerlab.lab.Settings;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Narayana over two real PostgreSQL servers and an in-memory H2 database. */
class XaTest {

    static Lab lab;
    static Postgres bank1;
    static Postgres bank2;

    @BeforeAll
    static void start() {
        lab = Lab.start("embedded");
        List<Postgres> banks = lab.servers(2, Settings.of("max_prepared_transactions", "10"));
        bank1 = banks.get(0);
        bank2 = banks.get(1);
        for (Postgres b : banks) {
            b.execute("create table accounts (id int primary key, balance bigint not null check (balance >= 0));"
                    + "insert into accounts values (1, 100)");
        }
    }

    @AfterAll
    static void stop() {
        lab.close();
    }

    static long filesIn(java.nio.file.Path folder) {
        try (var files = Files.walk(folder)) {
            return files.filter(Files::isRegularFile).count();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    static long query(Connection c, String sql) throws Exception {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    @Test
    void oneTransactionAcrossPostgresAndH2CommitsOrRollsBackOnBoth() throws Exception {
        XADataSource h2 = Xa.h2("xatest_ledger");
        try (Connection c = h2.getXAConnection().getConnection(); Statement s = c.createStatement()) {
            s.execute("create table accounts (id int primary key, balance bigint not null check (balance >= 0));"
                    + "insert into accounts values (1, 0)");
        }
        bank1.execute("insert into accounts values (2, 100)");
        TransactionManager tm = Xa.transactionManager();
        XAConnection pg = Xa.connect(Xa.dataSource(bank1));
        XAConnection ledger = Xa.connect(h2);
        // one connection handle each, taken before the transactions: H2 rolls back and switches to
        // auto-commit when a handle is replaced, so a handle taken inside a transaction would escape it
        Connection pgHandle = pg.getConnection();
        Connection ledgerHandle = ledger.getConnection();
        try {
            for (long amount : new long[] {30, 500}) {
                tm.begin();
                tm.getTransaction().enlistResource(pg.getXAResource());
                tm.getTransaction().enlistResource(ledger.getXAResource());
                try (Statement a = pgHandle.createStatement(); Statement b = ledgerHandle.createStatement()) {
                    b.execute("update accounts set balance = balance + " + amount + " where id = 1");
                    a.execute("update accounts set balance = balance - " + amount + " where id = 2");
                    tm.commit();
                } catch (java.sql.SQLException e) {
                    assertEquals(500, amount, "only the overdraft fails: " + e);
                    tm.rollback();
                }
            }
            assertEquals(70, bank1.queryLong("select balance from accounts where id = 2"));
            try (Connection c = h2.getXAConnection().getConnection()) {
                assertEquals(30, query(c, "select balance from accounts where id = 1"), "the H2 branch of the failed transfer rolled back");
            }
            assertEquals(0, InDoubt.count(bank1));
            assertTrue(Files.isDirectory(Xa.logFolder()), "Narayana's log lives in " + Xa.logFolder());
        } finally {
            Xa.closeQuietly(pg);
            Xa.closeQuietly(ledger);
            assertThrows(RollbackException.class, () -> {
                // a committed or rolled back transaction cannot be used again: the manager says so
                tm.begin();
                tm.setRollbackOnly();
                tm.commit();
            });
        }
    }

    @Test
    void postgresKeepsAPreparedBranchWhenItsConnectionClosesAndH2DoesNot() throws Exception {
        XADataSource h2 = Xa.h2("xatest_forgetful");
        try (Connection c = h2.getXAConnection().getConnection(); Statement s = c.createStatement()) {
            s.execute("create table t (v int)");
        }
        for (XADataSource source : List.of(Xa.dataSource(bank2), h2)) {
            XAConnection c = Xa.connect(source);
            Xid xid = Xa.xid("forget-" + System.nanoTime(), 1);
            XAResource r = c.getXAResource();
            r.start(xid, XAResource.TMNOFLAGS);
            try (Statement s = c.getConnection().createStatement()) {
                s.execute(source == h2 ? "insert into t values (1)" : "update accounts set balance = balance where id = 1");
            }
            r.end(xid, XAResource.TMSUCCESS);
            assertEquals(XAResource.XA_OK, r.prepare(xid));
            c.close();
        }
        assertEquals(1, Xa.preparedBranches(Xa.dataSource(bank2)), "PostgreSQL keeps the prepared branch");
        assertEquals(0, Xa.preparedBranches(h2), "H2 lost it with the connection");
        bank2.execute("ROLLBACK PREPARED '" + bank2.queryString("select gid from pg_prepared_xacts") + "'");
    }

    @Test
    void aCoordinatorThatDiesAfterPrepareIsFinishedByRecoveryFromItsLog() {
        long before = bank1.queryLong("select balance from accounts where id = 1") + bank2.queryLong("select balance from accounts where id = 1");
        Map<Postgres, String> work = new LinkedHashMap<>();
        work.put(bank1, "update accounts set balance = balance - 5 where id = 1");
        work.put(bank2, "update accounts set balance = balance + 5 where id = 1");
        long bank2Before = bank2.queryLong("select balance from accounts where id = 1");
        CrashingCoordinator.run(work);
        assertTrue(filesIn(Xa.logFolder()) > 0, "the dead coordinator's log record is in " + Xa.logFolder());
        assertEquals(1, InDoubt.count(bank1));
        assertEquals(1, InDoubt.count(bank2));
        assertEquals(bank2Before, bank2.queryLong("select balance from accounts where id = 1"), "not committed yet");
        Xa.recover(Xa.dataSource(bank1), Xa.dataSource(bank2));
        assertEquals(0, InDoubt.count(bank1) + InDoubt.count(bank2));
        assertEquals(0, filesIn(Xa.logFolder()), "recovery deletes the record once both branches committed");
        assertEquals(bank2Before + 5, bank2.queryLong("select balance from accounts where id = 1"), "recovery committed");
        assertEquals(before, bank1.queryLong("select balance from accounts where id = 1") + bank2.queryLong("select balance from accounts where id = 1"));
    }
}
