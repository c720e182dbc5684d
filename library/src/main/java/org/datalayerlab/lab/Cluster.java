package org.datalayerlab.lab;

import java.util.List;

/**
 * A primary with streaming replicas. Replicas are named replica1, replica2, ... (their
 * application_name on the primary), each with its own physical replication slot.
 */
public interface Cluster {

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
    void awaitReplicas(java.time.Duration timeout);
}
