package org.datalayerlab.lab.transactions;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.datalayerlab.lab.LabException;
import org.datalayerlab.lab.Postgres;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

/**
 * One global transaction across PostgreSQL servers, run by hand with PostgreSQL's own two-phase
 * commit: each phase is a method, and every statement sent is recorded ({@link #steps()}).
 *
 * <pre>{@code
 * TwoPhaseCommit tx = log.begin(bank1, bank2);                  // BEGIN on each
 * tx.execute(bank1, "update accounts set balance = balance - 10 where id = 1");
 * tx.execute(bank2, "update accounts set balance = balance + 10 where id = 1");
 * if (tx.prepare()) {          // phase 1: PREPARE TRANSACTION on each; every "yes" is durable
 *     tx.decide();             // the commit point: the decision is forced to the coordinator's log
 *     tx.commitPrepared();     // phase 2: COMMIT PREPARED on each
 * }
 * }</pre>
 *
 * {@link #crash()} makes the coordinator vanish between two of those steps: its connections
 * close, and whatever was prepared stays prepared (in doubt), holding its locks, until
 * {@link CoordinatorLog#recover} resolves it.
 */
public final class TwoPhaseCommit implements AutoCloseable {

    /** One statement the coordinator sent: when (ms since begin), to which server, in which phase, and what came back. */
    public record Step(double atMs, String server, String phase, String statement, String outcome) {
    }

    private final CoordinatorLog log;
    private final String gid;
    private final Map<Postgres, Connection> branches = new LinkedHashMap<>();
    private final List<Postgres> prepared = new ArrayList<>();
    private final List<Step> steps = new ArrayList<>();
    private final long startNanos = System.nanoTime();
    private boolean finished;

    TwoPhaseCommit(CoordinatorLog log, String gid, List<Postgres> participants) {
        if (participants.isEmpty()) {
            throw new IllegalArgumentException("begin(): name the participating servers, e.g. log.begin(bank1, bank2)");
        }
        this.log = log;
        this.gid = gid;
        try {
            for (Postgres p : participants) {
                Connection c = p.connect();
                c.setAutoCommit(false);   // pgjdbc sends BEGIN before the first statement
                branches.put(p, c);
                steps.add(step(p, "work", "connect; BEGIN (sent with the first statement)", "ok"));
            }
        } catch (SQLException e) {
            closeConnections();
            throw new LabException("could not open a branch of " + gid + ": " + e.getMessage(), e);
        }
    }

    /** The global transaction id, also the name of each server's prepared transaction. */
    public String gid() {
        return gid;
    }

    /** Runs one statement in {@code server}'s branch; a failure marks the branch and is rethrown. */
    public TwoPhaseCommit execute(Postgres server, String sql) {
        try (Statement s = branch(server).createStatement()) {
            s.execute(sql);
            steps.add(step(server, "work", sql, "ok"));
            return this;
        } catch (SQLException e) {
            steps.add(step(server, "work", sql, "failed: " + e.getSQLState()));
            throw new LabException(server.name() + ": " + sql + ": " + e.getMessage(), e);
        }
    }

    /**
     * Phase 1: PREPARE TRANSACTION on each participant in turn. Returns true if every one voted
     * yes; on the first "no" (an error, or a branch that had failed already) the transaction is
     * rolled back everywhere and this returns false.
     */
    public boolean prepare() {
        checkNotFinished("prepare");
        for (Map.Entry<Postgres, Connection> b : branches.entrySet()) {
            String sql = "PREPARE TRANSACTION '" + gid + "'";
            try (Statement s = b.getValue().createStatement()) {
                s.execute(sql);
                // a branch whose earlier statement failed answers PREPARE with a rollback, not an error
                boolean yes = b.getKey().queryLong("select count(*) from pg_prepared_xacts where gid = '" + gid + "'") == 1;
                steps.add(step(b.getKey(), "1 prepare", sql, yes ? "yes (prepared)" : "no (rolled back)"));
                if (!yes) {
                    abort();
                    return false;
                }
                prepared.add(b.getKey());
            } catch (SQLException e) {
                steps.add(step(b.getKey(), "1 prepare", sql, "no: " + e.getSQLState()));
                abort();
                return false;
            }
        }
        return true;
    }

    /** The commit point: forces "commit GID" to the coordinator's log. From here on the transaction commits, whatever crashes. */
    public void decide() {
        checkNotFinished("decide");
        if (prepared.size() != branches.size()) {
            throw new LabException(gid + ": decide() needs every participant prepared first (call prepare() and check it returned true)");
        }
        log.decideCommit(gid);
        steps.add(new Step(sinceBegin(), "coordinator", "decision", "log: commit " + gid + " (forced to disk)", "ok"));
    }

    /** Phase 2: COMMIT PREPARED on each participant (after {@link #decide()}). */
    public void commitPrepared() {
        checkNotFinished("commitPrepared");
        if (!log.committed(gid)) {
            throw new LabException(gid + ": commitPrepared() before decide(): the decision must be in the log first");
        }
        for (Postgres p : prepared) {
            String sql = "COMMIT PREPARED '" + gid + "'";
            p.execute(sql);
            steps.add(step(p, "2 commit", sql, "ok"));
        }
        finished = true;
        closeConnections();
    }

    /** prepare, decide and commitPrepared; false (and rolled back everywhere) if a participant voted no. */
    public boolean commit() {
        if (!prepare()) {
            return false;
        }
        decide();
        commitPrepared();
        return true;
    }

    /**
     * The coordinator crashes here: its connections close without another word. Branches not yet
     * prepared are rolled back by their servers; prepared ones stay in doubt.
     */
    public void crash() {
        steps.add(new Step(sinceBegin(), "coordinator", "crash", "(connections dropped)", prepared.size() + " branch(es) left prepared"));
        finished = true;
        closeConnections();
    }

    /** Rolls back every branch: ROLLBACK PREPARED where prepared, ROLLBACK elsewhere. */
    public void abort() {
        for (Map.Entry<Postgres, Connection> b : branches.entrySet()) {
            if (prepared.contains(b.getKey())) {
                String sql = "ROLLBACK PREPARED '" + gid + "'";
                b.getKey().execute(sql);
                steps.add(step(b.getKey(), "2 abort", sql, "ok"));
            } else {
                try {
                    b.getValue().rollback();
                    steps.add(step(b.getKey(), "2 abort", "ROLLBACK", "ok"));
                } catch (SQLException e) {
                    steps.add(step(b.getKey(), "2 abort", "ROLLBACK", "connection gone: the server rolls back"));
                }
            }
        }
        prepared.clear();
        finished = true;
        closeConnections();
    }

    /** Every statement so far, in order. */
    public List<Step> steps() {
        return List.copyOf(steps);
    }

    /** {@link #steps()} as a table: ms, server, phase, statement, outcome. */
    public Table trace() {
        Table t = Table.create("Two-phase commit " + gid,
                DoubleColumn.create("ms"), StringColumn.create("server"), StringColumn.create("phase"),
                StringColumn.create("statement"), StringColumn.create("outcome"));
        for (Step s : steps) {
            t.doubleColumn("ms").append(Math.round(s.atMs() * 10) / 10.0);
            t.stringColumn("server").append(s.server());
            t.stringColumn("phase").append(s.phase());
            t.stringColumn("statement").append(s.statement());
            t.stringColumn("outcome").append(s.outcome());
        }
        return t;
    }

    /** Rolls back whatever has not finished (a transaction left half-way in a cell must not keep its locks). */
    @Override
    public void close() {
        if (!finished) {
            abort();
        }
        closeConnections();
    }

    private Connection branch(Postgres server) {
        Connection c = branches.get(server);
        if (c == null) {
            throw new IllegalArgumentException(server.name() + " is not a participant of " + gid + ": name it in log.begin(...)");
        }
        checkNotFinished("execute");
        return c;
    }

    private void checkNotFinished(String verb) {
        if (finished) {
            throw new LabException(gid + " has already finished (committed, aborted or crashed): " + verb + "() needs a new log.begin(...)");
        }
    }

    private Step step(Postgres server, String phase, String sql, String outcome) {
        return new Step(sinceBegin(), server.name(), phase, sql, outcome);
    }

    private double sinceBegin() {
        return (System.nanoTime() - startNanos) / 1e6;
    }

    private void closeConnections() {
        for (Connection c : branches.values()) {
            try {
                c.close();
            } catch (SQLException e) {
                // closing is all that is left to do; the server cleans up the session
            }
        }
    }

    @Override
    public String toString() {
        return "TwoPhaseCommit[" + gid + ", " + prepared.size() + "/" + branches.size() + " prepared" + (finished ? ", finished" : "") + "]";
    }
}
