package org.datalayerlab.lab;

import java.time.Duration;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;

/**
 * The one wait-until loop of the library: checks a condition, pauses a poll interval, until the
 * condition holds or the timeout passes.
 *
 * <pre>{@code
 * Wait.upTo(Duration.ofSeconds(60)).every(Duration.ofMillis(5))
 *     .until(() -> replica.isRunning(), () -> "replica1 did not start");   // throws "... within 60 s"
 * boolean caughtUp = Wait.upTo(timeout).every(Duration.ofNanos(200_000)).check(() -> replayed(lsn));
 * }</pre>
 *
 * An interrupt stops the wait with a {@link LabException} (the interrupt flag stays set), so a
 * notebook's interrupt button ends a wait at once.
 */
public final class Wait {

    /** A condition that may fail with a checked exception (SQL), which ends the wait. */
    @FunctionalInterface
    public interface Condition {
        boolean holds() throws Exception;
    }

    private final Duration timeout;
    private final Duration poll;

    private Wait(Duration timeout, Duration poll) {
        this.timeout = timeout;
        this.poll = poll;
    }

    /** A wait of at most {@code timeout}, polling every 10 ms unless {@link #every} says otherwise. */
    public static Wait upTo(Duration timeout) {
        if (timeout == null || timeout.isNegative()) {
            throw new IllegalArgumentException("a wait needs a timeout of zero or more, got " + timeout);
        }
        return new Wait(timeout, Duration.ofMillis(10));
    }

    /** The pause between two checks. */
    public Wait every(Duration pollInterval) {
        if (pollInterval == null || pollInterval.isNegative() || pollInterval.isZero()) {
            throw new IllegalArgumentException("a poll interval must be positive, got " + pollInterval);
        }
        return new Wait(timeout, pollInterval);
    }

    /** Waits for {@code done}; true if it held within the timeout, false if not. */
    public boolean check(Condition done) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            if (holds(done)) {
                return true;
            }
            if (System.nanoTime() - deadline > 0) {
                return false;
            }
            pause();
        }
    }

    /** One poll interval: parkNanos may return early (a stray permit, a spurious wake-up), so park until it has passed. */
    private void pause() {
        long until = System.nanoTime() + poll.toNanos();
        for (long left = poll.toNanos(); left > 0; left = until - System.nanoTime()) {
            LockSupport.parkNanos(left);
            if (Thread.currentThread().isInterrupted()) {
                throw new LabException("interrupted while waiting");
            }
        }
    }

    /** Waits for {@code done}, or throws a LabException: the message, then "within N ms". */
    public void until(Condition done, Supplier<String> message) {
        if (!check(done)) {
            throw new LabException(message.get() + " within " + describe(timeout));
        }
    }

    private static boolean holds(Condition done) {
        try {
            return done.holds();
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new LabException(e.getMessage(), e);
        }
    }

    private static String describe(Duration d) {
        return d.toMillis() % 1000 == 0 ? d.toSeconds() + " s" : d.toMillis() + " ms";
    }
}
