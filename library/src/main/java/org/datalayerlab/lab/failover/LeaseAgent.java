package org.datalayerlab.lab.failover;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import org.datalayerlab.lab.Postgres;

/**
 * A small process that lives next to the primary (on its machine, so it reaches it directly) and
 * fences it when the controller has not been seen for longer than the lease: every health check the
 * controller runs renews the lease, and the agent reads when that last happened from the primary's
 * own {@code pg_stat_activity}; the lease runs from the first check the agent sees. A primary cut off from its controller stops itself before the
 * controller, which waits the lease out, promotes another server: Patroni demotes a leader that
 * cannot renew its key in the same spirit.
 *
 * <pre>{@code
 * try (LeaseAgent agent = LeaseAgent.guard(cluster.primary(), Duration.ofMillis(200))) { ... }
 * }</pre>
 */
public final class LeaseAgent implements AutoCloseable {

    /** How long ago, in ms, the controller's session last ran a check (-1: no such session). */
    private static final String LAST_SEEN_SQL = "select coalesce(extract(epoch from clock_timestamp() - max(case when state = 'active'"
            + " then clock_timestamp() else state_change end)) * 1000, -1) from pg_stat_activity where application_name = '"
            + HealthCheck.APPLICATION_NAME + "'";

    private final Postgres primary;
    private final Duration lease;
    private final Thread thread;
    private volatile boolean closed;
    private volatile long fencedAt;        // System.nanoTime() when the fence went up, 0 before
    private volatile long lastRenewal;     // System.nanoTime() of the last renewal the agent saw; 0 before the first
    private volatile boolean fencing;
    private volatile RuntimeException fenceError;

    private LeaseAgent(Postgres primary, Duration lease) {
        this.primary = primary;
        this.lease = lease;
        this.thread = new Thread(this::run, "lab-lease-agent-" + primary.name());
        thread.setDaemon(true);
    }

    /**
     * Starts an agent that stops {@code primary} (kill -9: no transaction commits after it) once the
     * controller has not checked it for {@code lease}.
     */
    public static LeaseAgent guard(Postgres primary, Duration lease) {
        if (lease == null || lease.isNegative() || lease.isZero()) {
            throw new IllegalArgumentException("the lease must be a positive duration, got " + lease);
        }
        LeaseAgent agent = new LeaseAgent(primary, lease);
        agent.thread.start();
        return agent;
    }

    private void run() {
        Duration poll = lease.dividedBy(5);
        Connection c = null;
        while (!closed) {
            try {
                if (c == null) {
                    c = primary.connect();
                }
                try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(LAST_SEEN_SQL)) {
                    rs.next();
                    double agoMs = rs.getDouble(1);
                    if (agoMs >= 0) {
                        long seen = System.nanoTime() - (long) (agoMs * 1e6);
                        lastRenewal = lastRenewal == 0 ? seen : Math.max(lastRenewal, seen);
                    }
                }
            } catch (SQLException e) {
                closeQuietly(c);
                c = null; // the primary may be gone already; keep counting
            }
            if (lastRenewal != 0 && System.nanoTime() - lastRenewal > lease.toNanos()) { // a lease runs from its first renewal
                closeQuietly(c);
                fence();
                return;
            }
            try {
                Thread.sleep(Math.max(1, poll.toMillis()));
            } catch (InterruptedException e) {
                break;
            }
        }
        closeQuietly(c);
    }

    /**
     * Stops the primary at once (kill -9). A fast shutdown would not do: it waits until the WAL senders
     * have delivered the last WAL to the standbys, which a primary cut off from them cannot reach.
     */
    private void fence() {
        fencing = true;
        fencedAt = System.nanoTime();
        try {
            if (primary.pid() != -1 || primary.isRunning()) {
                primary.kill9();
            }
        } catch (RuntimeException e) {
            fenceError = e; // reported by fenceError(), not printed: a cell shows nothing on stderr
        }
    }

    private static void closeQuietly(Connection c) {
        if (c != null) {
            try {
                c.close();
            } catch (SQLException ignored) {
                // closing anyway
            }
        }
    }

    /** true once the agent has begun to stop the primary. */
    public boolean fenced() {
        return fencedAt != 0;
    }

    /** System.nanoTime() when the agent began to stop the primary (0 if it has not). */
    public long fencedAt() {
        return fencedAt;
    }

    public Duration lease() {
        return lease;
    }

    /** Why fencing failed, or null. */
    public RuntimeException fenceError() {
        return fenceError;
    }

    /** Stops watching (the primary stays as it is); a fence already under way is finished first. */
    @Override
    public void close() {
        closed = true;
        if (!fencing) {
            thread.interrupt();
        }
        try {
            thread.join(30_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public String toString() {
        return "lease agent of " + primary.name() + " (lease " + lease.toMillis() + " ms" + (fenced() ? ", fenced" : "") + ")";
    }
}
