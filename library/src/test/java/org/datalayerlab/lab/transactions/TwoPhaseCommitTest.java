package org.datalayerlab.lab.transactions;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import org.datalayerlab.lab.Lab;
import org.datalayerlab.lab.LabException;
import org.datalayerlab.lab.Postgres;
import org.datalayerlab.lab.Settings;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Two real servers with max_prepared_transactions > 0, one account on each. */
class TwoPhaseCommitTest {

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
            b.execute("create table accounts (id int primary key, balance bigint not null check (balance >= 0))");
        }
    }

    @BeforeEach
    void resetBalances() {
        for (Postgres b : List.of(bank1, bank2)) {
            for (String gid : b.queryStrings("select gid from pg_prepared_xacts")) {
                b.execute("ROLLBACK PREPARED '" + gid + "'");
            }
            b.execute("truncate accounts; insert into accounts values (1, 100)");
        }
    }

    @AfterAll
    static void stop() {
        lab.close();
    }

    private static TwoPhaseCommit transfer(CoordinatorLog log, long amount) {
        TwoPhaseCommit tx = log.begin(bank1, bank2);
        tx.execute(bank1, "update accounts set balance = balance - " + amount + " where id = 1");
        tx.execute(bank2, "update accounts set balance = balance + " + amount + " where id = 1");
        return tx;
    }

    private static long total() {
        return bank1.queryLong("select sum(balance) from accounts") + bank2.queryLong("select sum(balance) from accounts");
    }

    @Test
    void bothPhasesCommitOnEveryServer() {
        CoordinatorLog log = CoordinatorLog.temporary("test");
        TwoPhaseCommit tx = transfer(log, 30);
        assertTrue(tx.commit());
        assertEquals(70, bank1.queryLong("select balance from accounts"));
        assertEquals(130, bank2.queryLong("select balance from accounts"));
        assertEquals(List.of(tx.gid()), log.decisions());
        assertEquals(List.of("work", "work", "work", "work", "1 prepare", "1 prepare", "decision", "2 commit", "2 commit"),
                tx.steps().stream().map(TwoPhaseCommit.Step::phase).toList());
        assertEquals(9, tx.trace().rowCount());
    }

    @Test
    void aParticipantThatFailsVotesNoAndNothingCommits() {
        CoordinatorLog log = CoordinatorLog.temporary("test");
        TwoPhaseCommit tx = log.begin(bank1, bank2);
        tx.execute(bank2, "update accounts set balance = balance + 500 where id = 1");
        assertThrows(LabException.class, () -> tx.execute(bank1, "update accounts set balance = balance - 500 where id = 1"));
        assertFalse(tx.prepare());
        assertEquals(200, total());
        assertEquals(0, InDoubt.count(bank1) + InDoubt.count(bank2));
        assertTrue(log.decisions().isEmpty());
    }

    @Test
    void aCrashAfterTheDecisionLeavesLockHoldingTransactionsThatRecoveryCommits() throws Exception {
        CoordinatorLog log = CoordinatorLog.temporary("test");
        TwoPhaseCommit tx = transfer(log, 40);
        assertTrue(tx.prepare());
        tx.decide();
        tx.crash();
        assertEquals(1, InDoubt.count(bank1));
        assertEquals(3, InDoubt.locks(bank1), "the table, its primary key and the transaction id");
        assertEquals(1, InDoubt.table(bank2).rowCount());
        try (Connection c = bank1.connect(); Statement s = c.createStatement()) {
            s.execute("set lock_timeout = '200ms'");
            SQLException blocked = assertThrows(SQLException.class, () -> s.execute("update accounts set balance = 0 where id = 1"));
            assertEquals("55P03", blocked.getSQLState());
        }
        assertEquals(100, bank1.queryLong("select balance from accounts"), "readers see the value from before the transaction");
        CoordinatorLog.Recovery r = log.recover(bank1, bank2);
        assertEquals(new CoordinatorLog.Recovery(2, 0), r);
        assertEquals(60, bank1.queryLong("select balance from accounts"));
        assertEquals(140, bank2.queryLong("select balance from accounts"));
        assertEquals(0, InDoubt.count(bank1) + InDoubt.count(bank2));
    }

    @Test
    void aCrashBeforeTheDecisionIsRolledBackByPresumedAbort() {
        CoordinatorLog log = CoordinatorLog.temporary("test");
        TwoPhaseCommit tx = transfer(log, 40);
        assertTrue(tx.prepare());
        tx.crash();
        assertEquals(new CoordinatorLog.Recovery(0, 2), log.recover(bank1, bank2));
        assertEquals(100, bank1.queryLong("select balance from accounts"));
        assertEquals(200, total());
    }

    @Test
    void recoveryLeavesOtherCoordinatorsTransactionsAlone() {
        CoordinatorLog mine = CoordinatorLog.temporary("test");
        CoordinatorLog other = CoordinatorLog.temporary("test");
        TwoPhaseCommit tx = transfer(other, 10);
        assertTrue(tx.prepare());
        tx.crash();
        assertEquals(0, mine.recover(bank1, bank2).resolved());
        assertEquals(2, other.recover(bank1, bank2).resolved());
    }

    @Test
    void misuseSaysWhatToDo() {
        CoordinatorLog log = CoordinatorLog.temporary("test");
        try (TwoPhaseCommit tx = transfer(log, 1)) {
            LabException early = assertThrows(LabException.class, tx::commitPrepared);
            assertTrue(early.getMessage().contains("before decide()"), early.getMessage());
        }
        assertThrows(IllegalArgumentException.class, () -> CoordinatorLog.temporary("Bad Name"));
        assertEquals(0, InDoubt.count(bank1));
    }
}
