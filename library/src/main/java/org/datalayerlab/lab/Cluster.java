package org.datalayerlab.lab;

import java.util.List;

/**
 * A primary with streaming replicas. Replicas are named replica1, replica2, ... (their
 * application_name on the primary), each with its own physical replication slot.
 *
 * <pre>{@code
 * try (Cluster cluster = lab.cluster(2)) {
 *     cluster.primary().execute("create table t (id int)");
 *     cluster.awaitReplay();                        // every replica has applied it
 *     long behind = cluster.lag(cluster.replica(1)); // bytes of WAL not yet replayed
 * }                                                 // servers stopped
 * }</pre>
 */
public interface Cluster extends AutoCloseable {

    Postgres primary();

    /** Replica {@code i}, counting from 0. */
    default Postgres replica(int i) {
        List<Postgres> r = replicas();
        if (i < 0 || i >= r.size()) {
            throw new IndexOutOfBoundsException("replica(" + i + "): this cluster has " + r.size() + " replica(s)");
        }
        return r.get(i);
    }

    List<Postgres> replicas();

    /** Primary first, then the replicas. */
    default List<Postgres> servers() {
        List<Postgres> all = new java.util.ArrayList<>();
        all.add(primary());
        all.addAll(replicas());
        return all;
    }

    /**
     * Replay lag of {@code replica} in bytes: WAL the primary has written that the replica has
     * not yet applied (0 when caught up).
     */
    default long lag(Postgres replica) {
        return Replication.lagBytes(primary(), replica);
    }

    /**
     * Replay lag of {@code replica} in time, as the primary sees it ({@code pg_stat_replication.replay_lag});
     * zero when the replica has caught up and nothing new was written.
     */
    default java.time.Duration replayLag(Postgres replica) {
        return Replication.replayLag(primary(), replica);
    }

    /** Waits (up to 60 s) until every running replica has replayed the primary's current WAL position. */
    default void awaitReplay() {
        awaitReplicas(java.time.Duration.ofSeconds(60));
    }

    /**
     * Time until a row committed on the primary can be read on {@code replica}, from the moment
     * the commit was acknowledged (when a client would read its own write); fails after 10 s.
     */
    default java.time.Duration timeToVisible(Postgres replica) {
        return Replication.timeToVisible(primary(), replica, java.time.Duration.ofSeconds(10));
    }

    /**
     * A read-your-writes measurement from the primary to {@code replica}: configure it, then
     * {@code run()}, e.g. {@code cluster.readAfterWrite(replica).attempts(100).run().staleRate()}.
     */
    default ReadAfterWrite readAfterWrite(Postgres replica) {
        return Replication.readAfterWrite(primary(), replica);
    }

    /** {@code pg_stat_replication} on the primary as a table: one row per standby, state, sync_state, lags in bytes. */
    default tech.tablesaw.api.Table status() {
        return Replication.status(primary());
    }

    /**
     * Stops every server of the cluster that runs, replicas first (try-with-resources in a cell);
     * one that fails to stop does not keep the others running.
     */
    @Override
    default void close() {
        new org.datalayerlab.lab.server.Cleanup().closeNewestFirst(servers()).rethrow();
    }

    /** Adds a streaming replica to the running primary (base backup + slot) and waits until it streams. */
    Postgres addReplica();

    Postgres addReplica(Settings replicaSettings);

    /**
     * Promotes {@code replica} to primary and points the other replicas at it. The old primary
     * is left as it is (running or not): stop or fence it yourself, as a failover lesson shows.
     */
    Postgres promote(Postgres replica);

    /** The spec this cluster was made from. */
    ClusterSpec spec();

    /** Waits until every running replica has replayed the primary's current WAL position. */
    default void awaitReplicas(java.time.Duration timeout) {
        Postgres p = primary();
        for (Postgres r : replicas()) {
            if (r.isRunning()) {
                Replication.awaitReplay(p, r, timeout);
            }
        }
    }

    /**
     * Puts a network path between the primary and {@code replica}: a new link to the primary
     * (as {@code Lab.link} makes) that the replica's replication connection is re-pointed
     * through, so that {@code delay(...)} on it slows the WAL stream and the standby's replies,
     * as a standby in another data centre would see them. Returns once the replica streams
     * through the link. A later {@link #promote} connects the replicas directly again.
     *
     * <pre>{@code
     * Cluster c = lab.cluster(ClusterSpec.replicas(1).synchronous("FIRST 1"));
     * c.replicationLink(c.replica(0)).delay(Duration.ofMillis(20), Duration.ZERO); // sync commits now wait 20 ms
     * }</pre>
     */
    default org.datalayerlab.lab.net.NetworkLink replicationLink(Postgres replica) {
        throw new LabException("replicationLink: this backend cannot re-point a replica's replication connection;"
                + " use the embedded backend (LAB_BACKEND=embedded)");
    }
}
