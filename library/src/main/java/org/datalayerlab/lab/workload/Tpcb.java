package org.datalayerlab.lab.workload;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Objects;
import java.util.SplittableRandom;
import javax.sql.DataSource;

/**
 * pgbench's "TPC-B (sort of)" benchmark: its four tables at a scale factor (1 branch, 10
 * tellers and 100,000 accounts per unit of scale) and its default transaction:
 *
 * <pre>
 * BEGIN;
 * UPDATE pgbench_accounts SET abalance = abalance + :delta WHERE aid = :aid;
 * SELECT abalance FROM pgbench_accounts WHERE aid = :aid;
 * UPDATE pgbench_tellers SET tbalance = tbalance + :delta WHERE tid = :tid;
 * UPDATE pgbench_branches SET bbalance = bbalance + :delta WHERE bid = :bid;
 * INSERT INTO pgbench_history (tid, bid, aid, delta, mtime) VALUES (:tid, :bid, :aid, :delta, CURRENT_TIMESTAMP);
 * END;
 * </pre>
 *
 * with aid, tid, bid uniform and delta uniform in -5000..5000, as pgbench draws them. The
 * tables are the same as {@code pgbench -i} makes, so pgbench itself can run against them.
 */
public final class Tpcb {

    public static final int ACCOUNTS_PER_BRANCH = 100_000;
    public static final int TELLERS_PER_BRANCH = 10;

    private final DataSource dataSource;
    private int scale = 1;

    private Tpcb(DataSource dataSource) {
        this.dataSource = Objects.requireNonNull(dataSource, "dataSource is null");
    }

    /** pgbench's tables on this server, scale 1 unless changed. */
    public static Tpcb on(DataSource dataSource) {
        return new Tpcb(dataSource);
    }

    /** Scale factor: branches; 100,000 accounts each (about 15 MB per unit). */
    public Tpcb scale(int scale) {
        if (scale < 1 || scale > 10_000) {
            throw new IllegalArgumentException("scale must be between 1 and 10000, got " + scale);
        }
        this.scale = scale;
        return this;
    }

    public int scale() {
        return scale;
    }

    /** As {@code pgbench -i}: drops and creates the tables, loads them, adds primary keys, vacuums. */
    public Tpcb load() {
        try (Connection c = dataSource.getConnection(); Statement st = c.createStatement()) {
            c.setAutoCommit(true);
            st.execute("DROP TABLE IF EXISTS pgbench_accounts, pgbench_branches, pgbench_history, pgbench_tellers");
            st.execute("CREATE TABLE pgbench_history (tid int, bid int, aid int, delta int, mtime timestamp, filler char(22))");
            st.execute("CREATE TABLE pgbench_tellers (tid int NOT NULL, bid int, tbalance int, filler char(84)) WITH (fillfactor=100)");
            st.execute("CREATE TABLE pgbench_accounts (aid int NOT NULL, bid int, abalance int, filler char(84)) WITH (fillfactor=100)");
            st.execute("CREATE TABLE pgbench_branches (bid int NOT NULL, bbalance int, filler char(88)) WITH (fillfactor=100)");
            st.execute("INSERT INTO pgbench_branches (bid, bbalance) SELECT b, 0 FROM generate_series(1, " + scale + ") b");
            st.execute("INSERT INTO pgbench_tellers (tid, bid, tbalance) SELECT t, (t - 1) / " + TELLERS_PER_BRANCH
                    + " + 1, 0 FROM generate_series(1, " + (long) TELLERS_PER_BRANCH * scale + ") t");
            copyAccounts(c);
            st.execute("ALTER TABLE pgbench_branches ADD PRIMARY KEY (bid)");
            st.execute("ALTER TABLE pgbench_tellers ADD PRIMARY KEY (tid)");
            st.execute("ALTER TABLE pgbench_accounts ADD PRIMARY KEY (aid)");
            st.execute("VACUUM ANALYZE pgbench_branches, pgbench_tellers, pgbench_accounts, pgbench_history");
        } catch (SQLException e) {
            throw new IllegalStateException("loading the pgbench tables failed: " + e.getMessage(), e);
        }
        return this;
    }

    private void copyAccounts(Connection c) throws SQLException {
        try (CopyRows copy = new CopyRows(c, "pgbench_accounts", StandardCharsets.US_ASCII)) {
            long accounts = (long) ACCOUNTS_PER_BRANCH * scale;
            for (long aid = 1; aid <= accounts; aid++) {
                // aid, bid, abalance 0, empty filler: what pgbench -i writes
                copy.row().append(aid).append('\t').append((aid - 1) / ACCOUNTS_PER_BRANCH + 1).append("\t0\t");
                copy.endRow();
            }
            copy.finish();
        }
    }

    /**
     * The TPC-B-like transaction, one per operation, with prepared statements on a connection
     * per thread (autocommit off; pgjdbc sends BEGIN with the first statement, so a
     * transaction is 6 round trips: 5 statements and COMMIT).
     */
    public Workload workload() {
        return Workload.named("TPC-B-like", (thread, seed) -> new TpcbWorker(new SplittableRandom(seed)));
    }

    /** True when the money adds up: sum of account, teller and branch balances and of history deltas agree. */
    public boolean balanced() {
        try (Connection c = dataSource.getConnection(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT (SELECT coalesce(sum(abalance), 0) FROM pgbench_accounts),"
                     + " (SELECT coalesce(sum(tbalance), 0) FROM pgbench_tellers),"
                     + " (SELECT coalesce(sum(bbalance), 0) FROM pgbench_branches),"
                     + " (SELECT coalesce(sum(delta), 0) FROM pgbench_history)")) {
            rs.next();
            long accounts = rs.getLong(1);
            return accounts == rs.getLong(2) && accounts == rs.getLong(3) && accounts == rs.getLong(4);
        } catch (SQLException e) {
            throw new IllegalStateException("could not read the pgbench tables: " + e.getMessage(), e);
        }
    }

    /** Transactions committed so far (rows in pgbench_history). */
    public long transactions() {
        try (Connection c = dataSource.getConnection(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT count(*) FROM pgbench_history")) {
            rs.next();
            return rs.getLong(1);
        } catch (SQLException e) {
            throw new IllegalStateException("could not read pgbench_history: " + e.getMessage(), e);
        }
    }

    private final class TpcbWorker extends JdbcWorker {
        private final SplittableRandom random;
        private PreparedStatement updateAccount;
        private PreparedStatement selectAccount;
        private PreparedStatement updateTeller;
        private PreparedStatement updateBranch;
        private PreparedStatement insertHistory;

        TpcbWorker(SplittableRandom random) {
            super(dataSource);
            this.random = random;
        }

        @Override
        protected void open(Connection c) throws SQLException {
            c.setAutoCommit(false);
            updateAccount = c.prepareStatement("UPDATE pgbench_accounts SET abalance = abalance + ? WHERE aid = ?");
            selectAccount = c.prepareStatement("SELECT abalance FROM pgbench_accounts WHERE aid = ?");
            updateTeller = c.prepareStatement("UPDATE pgbench_tellers SET tbalance = tbalance + ? WHERE tid = ?");
            updateBranch = c.prepareStatement("UPDATE pgbench_branches SET bbalance = bbalance + ? WHERE bid = ?");
            insertHistory = c.prepareStatement(
                    "INSERT INTO pgbench_history (tid, bid, aid, delta, mtime) VALUES (?, ?, ?, ?, CURRENT_TIMESTAMP)");
        }

        @Override
        protected String run(Connection c) throws SQLException {
            int aid = 1 + random.nextInt(ACCOUNTS_PER_BRANCH * scale);
            int bid = 1 + random.nextInt(scale);
            int tid = 1 + random.nextInt(TELLERS_PER_BRANCH * scale);
            int delta = random.nextInt(-5000, 5001);

            updateAccount.setInt(1, delta);
            updateAccount.setInt(2, aid);
            updateAccount.executeUpdate();
            selectAccount.setInt(1, aid);
            try (ResultSet rs = selectAccount.executeQuery()) {
                rs.next();
            }
            updateTeller.setInt(1, delta);
            updateTeller.setInt(2, tid);
            updateTeller.executeUpdate();
            updateBranch.setInt(1, delta);
            updateBranch.setInt(2, bid);
            updateBranch.executeUpdate();
            insertHistory.setInt(1, tid);
            insertHistory.setInt(2, bid);
            insertHistory.setInt(3, aid);
            insertHistory.setInt(4, delta);
            insertHistory.executeUpdate();
            c.commit();
            return null;
        }
    }
}
