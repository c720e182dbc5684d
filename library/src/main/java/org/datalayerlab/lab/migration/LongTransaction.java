package org.datalayerlab.lab.migration;

import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.datalayerlab.lab.LabException;

/**
 * A transaction that stays open in the background, as a slow report or a forgotten
 * {@code BEGIN} in a console does: it runs one query (taking that query's locks, for a SELECT
 * {@code ACCESS SHARE} on its tables), keeps them for {@code hold}, then commits.
 * {@link #close()} ends it early (commits at once) and waits until it has.
 *
 * <pre>{@code
 * try (LongTransaction report = LongTransaction.start(app, "select count(*) from flights", Duration.ofSeconds(2))) {
 *     ... an ALTER TABLE now waits for the report, and everyone else waits behind the ALTER ...
 * }
 * }</pre>
 */
public final class LongTransaction implements AutoCloseable {

    private final Thread thread;
    private final CountDownLatch holding = new CountDownLatch(1);
    private final CountDownLatch ended = new CountDownLatch(1);
    private final CountDownLatch endNow = new CountDownLatch(1);
    private final long startNanos = System.nanoTime();
    private volatile long endNanos;
    private volatile Exception failure;
    private Runnable onEnd = () -> { };
    private boolean endActionRun;

    private LongTransaction(DataSource dataSource, String sql, Duration hold) {
        thread = new Thread(() -> run(dataSource, sql, hold), "lab-long-transaction");
        thread.setDaemon(true);
        thread.start();
    }

    /** Starts the transaction and returns once its query has run (its locks are held). */
    public static LongTransaction start(DataSource dataSource, String sql, Duration hold) {
        Objects.requireNonNull(dataSource, "dataSource");
        Objects.requireNonNull(sql, "sql");
        if (hold == null || hold.isNegative()) {
            throw new IllegalArgumentException("LongTransaction: hold must be zero or positive, got " + hold);
        }
        LongTransaction t = new LongTransaction(dataSource, sql, hold);
        t.awaitLatch(t.holding);
        if (t.failure != null) {
            throw new LabException("the long transaction's query failed: " + t.failure.getMessage(), t.failure);
        }
        return t;
    }

    /** Runs {@code action} (on the transaction's thread) right after it commits, e.g. to mark the moment. */
    public LongTransaction onEnd(Runnable action) {
        Objects.requireNonNull(action, "action");
        boolean runNow;
        synchronized (this) {
            onEnd = action;
            runNow = endActionRun; // it already ended: run the action here
        }
        if (runNow) {
            action.run();
        }
        return this;
    }

    /** Waits until it has committed. */
    public void await() {
        awaitLatch(ended);
        if (failure != null) {
            throw new LabException("the long transaction failed: " + failure.getMessage(), failure);
        }
    }

    /** How long it was open, in seconds (so far, if still open). */
    public double seconds() {
        long end = endNanos == 0 ? System.nanoTime() : endNanos;
        return (end - startNanos) / 1e9;
    }

    /** Ends it now if it is still open (it commits) and waits until it has. */
    @Override
    public void close() {
        endNow.countDown();
        awaitLatch(ended);
    }

    private void run(DataSource dataSource, String sql, Duration hold) {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try (Statement s = c.createStatement()) {
                s.execute(sql);
                holding.countDown();
                endNow.await(hold.toNanos(), TimeUnit.NANOSECONDS);
                c.commit();
            }
        } catch (Exception e) {
            failure = e;
        } finally {
            endNanos = System.nanoTime();
            holding.countDown();
            ended.countDown();
            Runnable action;
            synchronized (this) {
                endActionRun = true;
                action = onEnd;
            }
            if (failure == null) {
                action.run();
            }
        }
    }

    private void awaitLatch(CountDownLatch latch) {
        try {
            if (!latch.await(10, TimeUnit.MINUTES)) {
                throw new LabException("the long transaction did not get going within 10 minutes");
            }
        } catch (InterruptedException e) {
            thread.interrupt();
            Thread.currentThread().interrupt();
            throw new LabException("interrupted while waiting for the long transaction", e);
        }
    }
}
