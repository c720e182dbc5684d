package org.datalayerlab.lab.failover;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLWarning;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import javax.sql.DataSource;

/**
 * Client threads that insert numbered rows as fast as they can and log every attempt, Jepsen
 * style: which id, when it started and ended, and whether the database acknowledged it. A commit
 * that returns with PostgreSQL's warning that the wait for synchronous replication was cancelled
 * is logged as {@link WriteLog.Outcome#WARNED}, not acknowledged: it committed on the primary
 * only. The table needs the columns {@code id bigint, writer text, epoch bigint}.
 *
 * <pre>{@code
 * Writers w = Writers.into(pool, "orders").threads(4).label("app").start();
 * ... fail the primary ...
 * WriteLog log = w.stop();
 * }</pre>
 * Closing stops them too, so {@code lab.closeLater(writers)} ends them even when a cell fails half-way.
 */
public final class Writers implements AutoCloseable {

    /** Ids of every Writers in this JVM: unique across runs, so rows of two runs never collide. */
    private static final AtomicLong IDS = new AtomicLong();

    private final DataSource dataSource;
    private final String table;
    private int threads = 4;
    private String label = "writer";
    private LongSupplier epoch = () -> 1;
    private long pauseAfterErrorMillis = 5;
    private final List<Thread> running = new ArrayList<>();
    private final List<WriteLog.Write> log = new ArrayList<>();
    private volatile boolean stopping;

    private Writers(DataSource dataSource, String table) {
        this.dataSource = dataSource;
        this.table = table;
    }

    /** Writers into {@code table} through {@code dataSource} (a pool over a multi-host URL, say). */
    public static Writers into(DataSource dataSource, String table) {
        if (dataSource == null) {
            throw new IllegalArgumentException("into(null, ...): pass the DataSource the clients write through");
        }
        if (table == null || !table.matches("[a-z_][a-z0-9_]*")) {
            throw new IllegalArgumentException("table '" + table + "': use a plain lower-case name");
        }
        return new Writers(dataSource, table);
    }

    public Writers threads(int n) {
        if (n < 1) {
            throw new IllegalArgumentException("threads(" + n + "): use 1 or more");
        }
        this.threads = n;
        return this;
    }

    /** The name in the table's writer column and in the log. */
    public Writers label(String label) {
        this.label = label;
        return this;
    }

    /** Where each write gets the epoch it carries (default: always 1), e.g. {@code controller::epoch}. */
    public Writers epoch(LongSupplier epoch) {
        this.epoch = epoch;
        return this;
    }

    /** Starts the threads; each writes until {@link #stop()}. */
    public synchronized Writers start() {
        if (!running.isEmpty()) {
            throw new IllegalStateException("these writers run already");
        }
        for (int i = 0; i < threads; i++) {
            Thread t = new Thread(this::writeLoop, "lab-writer-" + label + "-" + i);
            t.setDaemon(true);
            running.add(t);
            t.start();
        }
        return this;
    }

    private void writeLoop() {
        List<WriteLog.Write> mine = new ArrayList<>();
        String sql = "insert into " + table + " (id, writer, epoch) values (?, ?, ?) returning inet_server_port()";
        while (!stopping) {
            long id = IDS.incrementAndGet();
            long carried = epoch.getAsLong();
            long start = System.nanoTime();
            WriteLog.Outcome outcome;
            int port = -1;
            String error = null;
            try (Connection c = dataSource.getConnection(); PreparedStatement s = c.prepareStatement(sql)) {
                s.setLong(1, id);
                s.setString(2, label);
                s.setLong(3, carried);
                try (ResultSet rs = s.executeQuery()) {
                    rs.next();
                    port = rs.getInt(1);
                }
                String warning = syncWarning(s.getWarnings());
                outcome = warning == null ? WriteLog.Outcome.ACKNOWLEDGED : WriteLog.Outcome.WARNED;
                error = warning;
            } catch (SQLException e) {
                outcome = WriteLog.Outcome.FAILED;
                error = e.getSQLState() + " " + e.getMessage();
            } catch (RuntimeException e) {
                outcome = WriteLog.Outcome.FAILED;
                error = e.toString();
            }
            mine.add(new WriteLog.Write(id, label, carried, start, System.nanoTime(), outcome, port, error));
            if (outcome == WriteLog.Outcome.FAILED) {
                try {
                    Thread.sleep(pauseAfterErrorMillis); // no busy loop against a server that is down
                } catch (InterruptedException e) {
                    break;
                }
            }
        }
        synchronized (log) {
            log.addAll(mine);
        }
    }

    /** The message of a "canceling wait for synchronous replication" warning in the chain, or null. */
    static String syncWarning(SQLWarning w) {
        for (; w != null; w = w.getNextWarning()) {
            String m = String.valueOf(w.getMessage());
            if (m.contains("synchronous replication")) {
                return m;
            }
        }
        return null;
    }

    /** Stops the threads, as {@link #stop()} does. */
    @Override
    public void close() {
        stop();
    }

    /** Stops the threads (each finishes the write it has begun) and returns every attempt; again later, the same log. */
    public synchronized WriteLog stop() {
        stopping = true;
        for (Thread t : running) {
            try {
                t.join(30_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        synchronized (log) {
            return new WriteLog(label, log);
        }
    }
}
