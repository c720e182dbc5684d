package org.datalayerlab.lab.server;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.datalayerlab.lab.Cluster;
import org.datalayerlab.lab.ClusterSpec;
import org.datalayerlab.lab.LabException;
import org.datalayerlab.lab.Postgres;
import org.datalayerlab.lab.Replication;
import org.datalayerlab.lab.Settings;

/**
 * A primary and streaming replicas in containers on the lab's Docker network, behaving as
 * {@link LocalCluster} does: replicas named replica1, replica2, ... (their application_name and
 * slot name), synchronous settings applied once the replicas stream, promote re-points the rest.
 * The image ships pg_basebackup, so a replica is a container that takes a base backup through its
 * slot at first start (see {@link ContainerCommands#replicaScript}).
 */
final class ContainerCluster implements Cluster {

    private static final Duration STREAMING_TIMEOUT = Duration.ofSeconds(60);

    private final ContainersBackend backend;
    private final String name;
    private final ClusterSpec spec;
    private ContainerPostgres primary;
    private final List<ContainerPostgres> replicas = new ArrayList<>();
    private int replicaSequence;

    private ContainerCluster(ContainersBackend backend, String name, ClusterSpec spec) {
        this.backend = backend;
        this.name = name;
        this.spec = spec;
    }

    static ContainerCluster create(ContainersBackend backend, String name, ClusterSpec spec) {
        ContainerCluster c = new ContainerCluster(backend, name, spec);
        c.primary = backend.startServer(name, "primary", spec.primarySettings());
        c.primary.execute(ContainerCommands.createReplicationRoleSql(backend.replicationPassword()));
        for (int i = 0; i < spec.replicaCount(); i++) {
            c.addReplica();
        }
        // synchronous replication only once the standbys exist, or the first commits would wait for them
        c.applySynchronousSettings(c.primary);
        return c;
    }

    private void applySynchronousSettings(ContainerPostgres p) {
        p.execute("alter system set synchronous_standby_names = " + Settings.quote(spec.synchronousStandbyNames()));
        if (spec.synchronousCommitLevel() != null) {
            p.execute("alter system set synchronous_commit = " + Settings.quote(spec.synchronousCommitLevel()));
        }
        p.reload();
    }

    @Override
    public synchronized Postgres primary() {
        return primary;
    }

    @Override
    public synchronized List<Postgres> replicas() {
        return Collections.unmodifiableList(new ArrayList<>(replicas));
    }

    @Override
    public ClusterSpec spec() {
        return spec;
    }

    @Override
    public Postgres addReplica() {
        return addReplica(Settings.none());
    }

    /**
     * A new replica of the current primary. Its postgresql.conf is the primary's (the base backup
     * copies it) with the spec's replica settings and {@code extra} appended, as on the embedded
     * backend, where a replica starts from its primary's settings.
     */
    @Override
    public synchronized Postgres addReplica(Settings extra) {
        if (!primary.isRunning()) {
            throw new LabException(name + ": the primary is not running; start it before adding a replica");
        }
        String replicaName = "replica" + (++replicaSequence);
        primary.queryStrings(ContainerCommands.createSlotSql(replicaName));
        ContainerPostgres replica;
        try {
            replica = backend.startReplica(name, replicaName, primary, spec.replicaSettings().with(extra));
        } catch (RuntimeException e) {
            // a slot nobody reads keeps WAL on the primary for ever
            Replication.dropSlot(primary, replicaName);
            throw e;
        }
        replicas.add(replica);
        awaitStreaming(primary, replicaName);
        return replica;
    }

    private static void awaitStreaming(ContainerPostgres upstream, String replicaName) {
        long deadline = System.nanoTime() + STREAMING_TIMEOUT.toNanos();
        String sql = "select count(*) from pg_stat_replication where application_name = '" + replicaName
                + "' and state = 'streaming'";
        while (upstream.queryLong(sql) == 0) {
            if (System.nanoTime() > deadline) {
                throw new LabException(replicaName + " did not start streaming from " + upstream.name() + " ("
                        + upstream.alias() + " on the lab's Docker network) within " + STREAMING_TIMEOUT.toSeconds() + " s");
            }
            JdbcServer.sleep(5);
        }
    }

    @Override
    public synchronized Postgres promote(Postgres target) {
        if (!(target instanceof ContainerPostgres) || !replicas.contains(target)) {
            throw new LabException("promote(" + target.name() + "): not a replica of this cluster; replicas are "
                    + replicas.stream().map(ContainerPostgres::name).toList());
        }
        ContainerPostgres promoted = (ContainerPostgres) target;
        if (!promoted.isRunning()) {
            throw new LabException("promote(" + promoted.name() + "): it is not running; start it first");
        }
        if (!"t".equals(promoted.queryString("select pg_promote(true, 60)"))) {
            throw new LabException(promoted.name() + " did not finish promotion within 60 s");
        }
        replicas.remove(promoted);
        promoted.writeReplicationConf(ContainerCommands.noReplicationConf());
        primary = promoted;
        for (ContainerPostgres r : replicas) {
            primary.queryStrings(ContainerCommands.createSlotSql(r.name()));
            // recovery_target_timeline=latest (the default) lets them follow the new timeline;
            // primary_conninfo is reloadable since PostgreSQL 13, the WAL receiver reconnects
            r.writeReplicationConf(ContainerCommands.replicationConf(primary.alias(), backend.replicationPassword(), r.name()));
        }
        applySynchronousSettings(primary);
        for (ContainerPostgres r : replicas) {
            if (r.isRunning()) {
                awaitStreaming(primary, r.name());
            }
        }
        return primary;
    }

    @Override
    public void awaitReplicas(Duration timeout) {
        Postgres p;
        List<Postgres> rs;
        synchronized (this) {
            p = primary;
            rs = replicas();
        }
        for (Postgres r : rs) {
            if (r.isRunning()) {
                Replication.awaitReplay(p, r, timeout);
            }
        }
    }

    @Override
    public String toString() {
        return name + ": primary " + primary + ", replicas " + replicas;
    }
}
