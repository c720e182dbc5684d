package org.datalayerlab.lab.failover;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.datalayerlab.lab.Cluster;
import org.datalayerlab.lab.LabException;
import org.datalayerlab.lab.Lsn;
import org.datalayerlab.lab.Postgres;
import org.datalayerlab.lab.net.NetworkLink;

/**
 * A small failover controller: it checks the primary every {@code checkEvery}; after
 * {@code missedChecks} checks in a row without an answer it promotes the replica that has the most
 * WAL and re-points the others at it (through {@link Cluster#promote}). It also keeps the cluster's
 * epoch, which it raises when it decides to fail over: clients read it with {@link #epoch()} and
 * carry it on their writes ({@link EpochFence}). One controller handles one failover, then stops;
 * Patroni and pg_auto_failover keep watching, and keep their state in a consensus store or a monitor
 * instead of one JVM.
 *
 * <pre>{@code
 * try (FailoverController controller = FailoverController.watch(cluster)
 *         .checkEvery(Duration.ofMillis(100)).missedChecks(5).start()) {
 *     cluster.primary().kill9();
 *     Failover f = controller.awaitFailover(Duration.ofSeconds(30));
 * }
 * }</pre>
 */
public final class FailoverController implements AutoCloseable {

    private final Cluster cluster;
    private final Postgres watched;
    private final Duration checkEvery;
    private final int missedChecks;
    private final Duration waitOutLease;
    private final HealthCheck check;
    private final AtomicLong epoch = new AtomicLong(1);
    private final Thread thread;
    private volatile boolean closed;
    private volatile long checksAnswered;
    private volatile Failover failover;
    private volatile RuntimeException failure;

    private FailoverController(Builder b) {
        this.cluster = b.cluster;
        this.watched = cluster.primary();
        this.checkEvery = b.checkEvery;
        this.missedChecks = b.missedChecks;
        this.waitOutLease = b.waitOutLease;
        String host = b.path == null ? watched.host() : b.path.host();
        int port = b.path == null ? watched.port() : b.path.port();
        this.check = new HealthCheck(host, port, watched.user(), watched.password());
        this.epoch.set(b.firstEpoch);
        this.thread = new Thread(this::watch, "lab-failover-controller");
        thread.setDaemon(true);
    }

    /** A controller for {@code cluster}'s current primary; configure it, then {@link Builder#start()}. */
    public static Builder watch(Cluster cluster) {
        return new Builder(cluster);
    }

    /** How to build a controller; every setting has a default that suits a notebook. */
    public static final class Builder {
        private final Cluster cluster;
        private Duration checkEvery = Duration.ofMillis(100);
        private int missedChecks = 5;
        private NetworkLink path;
        private Duration waitOutLease = Duration.ZERO;
        private long firstEpoch = 1;

        private Builder(Cluster cluster) {
            if (cluster == null) {
                throw new IllegalArgumentException("watch(null): pass the cluster whose primary the controller checks");
            }
            this.cluster = cluster;
        }

        /** Time between health checks, and how long each may take (default 100 ms). */
        public Builder checkEvery(Duration interval) {
            if (interval == null || interval.toMillis() < 10) {
                throw new IllegalArgumentException("checkEvery(" + interval + "): use 10 ms or more");
            }
            this.checkEvery = interval;
            return this;
        }

        /** Checks in a row without an answer before the controller fails over (default 5). */
        public Builder missedChecks(int n) {
            if (n < 1) {
                throw new IllegalArgumentException("missedChecks(" + n + "): use 1 or more");
            }
            this.missedChecks = n;
            return this;
        }

        /** Checks the primary through {@code link} (so a lesson can cut the controller off) instead of directly. */
        public Builder through(NetworkLink link) {
            this.path = link;
            return this;
        }

        /**
         * Promotes no sooner than this long after the last check that was answered: the time the old
         * primary's {@link LeaseAgent} needs to notice it lost its lease and fence it (default: zero, no lease).
         */
        public Builder waitOutLease(Duration d) {
            this.waitOutLease = d == null ? Duration.ZERO : d;
            return this;
        }

        /** The epoch of the current primary (default 1); the failover raises it by one. */
        public Builder epoch(long current) {
            this.firstEpoch = current;
            return this;
        }

        /** Starts checking; returns once the first check was answered (so a failure made after it is seen as one). */
        public FailoverController start() {
            FailoverController c = new FailoverController(this);
            c.thread.start();
            boolean answered = org.datalayerlab.lab.Wait.upTo(Duration.ofSeconds(30)).every(Duration.ofMillis(5))
                    .check(() -> c.checksAnswered > 0 || c.failover != null || c.failure != null);
            if (!answered || c.failover != null) {
                c.close();
                throw new LabException("the failover controller could not check " + c.watched.name()
                        + " (is the primary running?)");
            }
            return c;
        }
    }

    /** The current epoch: clients carry it on their writes; it goes up by one when the controller decides to fail over. */
    public long epoch() {
        return epoch.get();
    }

    /** Detection time: missed checks x interval. */
    public Duration detectionTimeout() {
        return checkEvery.multipliedBy(missedChecks);
    }

    /** The failover, once done (null before). */
    public Failover failover() {
        return failover;
    }

    /** Waits for the failover and returns it; a clear error if it did not happen in time or failed. */
    public Failover awaitFailover(Duration timeout) {
        boolean done = org.datalayerlab.lab.Wait.upTo(timeout).every(Duration.ofMillis(5))
                .check(() -> failover != null || failure != null);
        if (failure != null) {
            throw new LabException("the failover controller failed: " + failure.getMessage(), failure);
        }
        if (!done) {
            throw new LabException("no failover within " + timeout.toMillis() + " ms: " + watched.name()
                    + " still answers the controller's checks, or the controller was closed");
        }
        return failover;
    }

    private void watch() {
        long lastAnswered = System.nanoTime();
        long firstMissed = 0;
        int missed = 0;
        long next = System.nanoTime();
        while (!closed) {
            long started = System.nanoTime();
            if (check.ok(checkEvery)) {
                checksAnswered++;
                lastAnswered = System.nanoTime();
                missed = 0;
            } else if (checksAnswered > 0 && ++missed == 1) { // misses count once the primary has answered
                firstMissed = started;
            }
            if (missed >= missedChecks && !closed) {
                try {
                    failOver(lastAnswered, firstMissed);
                } catch (RuntimeException e) {
                    failure = e;
                }
                return;
            }
            next += checkEvery.toNanos();
            long now = System.nanoTime();
            if (next < now) {
                next = now; // a slow check does not make the next ones come faster
            }
            LockSupport.parkNanos(next - now);
        }
    }

    private void failOver(long lastAnswered, long firstMissed) {
        long decided = System.nanoTime();
        long leaseOver = lastAnswered + waitOutLease.toNanos();
        while (System.nanoTime() < leaseOver && !closed) {
            LockSupport.parkNanos(leaseOver - System.nanoTime());
        }
        Map<String, Long> positions = new LinkedHashMap<>();
        Postgres best = null;
        long bestPosition = -1;
        for (Postgres r : cluster.replicas()) {
            long position = walHeld(r);
            positions.put(r.name(), position);
            if (position > bestPosition) {
                best = r;
                bestPosition = position;
            }
        }
        if (best == null) {
            throw new LabException("no running replica to promote: " + positions);
        }
        long newEpoch = epoch.incrementAndGet(); // from now on clients carry the new epoch
        long promoting = System.nanoTime();
        Postgres promoted = cluster.promote(best);
        if (EpochFence.installedOn(promoted)) {
            EpochFence.advance(promoted, newEpoch);
        }
        failover = new Failover(watched, promoted, newEpoch, positions, lastAnswered, firstMissed, decided, promoting,
                System.nanoTime());
    }

    /** WAL a replica has: the furthest of what it received and what it replayed (-1 if it does not answer). */
    private static long walHeld(Postgres replica) {
        try {
            String lsn = replica.queryString("select greatest(pg_last_wal_receive_lsn(), pg_last_wal_replay_lsn())::text");
            return lsn == null ? -1 : Lsn.parse(lsn);
        } catch (LabException e) {
            return -1;
        }
    }

    @Override
    public void close() {
        closed = true;
        thread.interrupt();
        try {
            thread.join(70_000); // a promotion under way finishes first
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        check.close();
    }

    @Override
    public String toString() {
        return "failover controller of " + watched.name() + ": check every " + checkEvery.toMillis() + " ms, fail over after "
                + missedChecks + " missed" + (failover == null ? "" : "; " + failover);
    }

    /**
     * What the controller did. Times are {@code System.nanoTime()} values: the last check answered,
     * the first one missed, the decision, the start and end of the promotion.
     *
     * @param positions WAL each replica held when the controller chose (bytes, see {@link Lsn})
     */
    public record Failover(Postgres oldPrimary, Postgres newPrimary, long epoch, Map<String, Long> positions,
                           long lastAnswered, long firstMissed, long decided, long promoting, long promoted) {

        /** Milliseconds from the first missed check to the decision. */
        public double detectionMillis() {
            return (decided - firstMissed) / 1e6;
        }

        /** Milliseconds the promotion took (pg_promote, re-pointing the others). */
        public double promotionMillis() {
            return (promoted - promoting) / 1e6;
        }

        @Override
        public String toString() {
            return String.format("promoted %s (epoch %d) %.0f ms after the first missed check (promotion %.0f ms); WAL held: %s",
                    newPrimary.name(), epoch, (promoted - firstMissed) / 1e6, promotionMillis(), positions);
        }
    }
}
