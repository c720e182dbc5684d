package org.datalayerlab.lab.server.containers;

import org.datalayerlab.lab.ClusterSpec;
import org.datalayerlab.lab.Settings;
import org.datalayerlab.lab.server.StreamingCluster;

/**
 * A primary and streaming replicas in containers on the lab's Docker network. The image ships
 * pg_basebackup, so a replica is a container that takes a base backup through its slot at first
 * start (see {@link ContainerCommands#replicaScript}); re-pointing rewrites the file its
 * postgresql.conf includes.
 */
final class ContainerCluster extends StreamingCluster<ContainerPostgres> {

    private final ContainersBackend backend;

    ContainerCluster(ContainersBackend backend, String name, ClusterSpec spec) {
        super(name, spec);
        this.backend = backend;
    }

    @Override
    protected ContainerPostgres startPrimary(Settings settings) {
        ContainerPostgres p = backend.startServer(name, "primary", settings);
        p.execute(ContainerCommands.createReplicationRoleSql(backend.replicationPassword()));
        return p;
    }

    /** Its postgresql.conf is the upstream's (the base backup copies it) with {@code settings} appended. */
    @Override
    protected ContainerPostgres startReplica(ContainerPostgres upstream, String replicaName, Settings settings) {
        return backend.startReplica(name, replicaName, upstream, settings);
    }

    @Override
    protected void pointAt(ContainerPostgres standby, ContainerPostgres upstream) {
        standby.writeReplicationConf(upstream == null ? ContainerCommands.noReplicationConf()
                : ContainerCommands.replicationConf(upstream.alias(), backend.replicationPassword(), standby.name()));
    }

    @Override
    protected String whereReached(ContainerPostgres upstream) {
        return upstream.alias() + " on the lab's Docker network";
    }
}
