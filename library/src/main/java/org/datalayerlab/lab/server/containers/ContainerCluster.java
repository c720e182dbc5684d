package org.datalayerlab.lab.server.containers;

import org.datalayerlab.lab.ClusterSpec;
import org.datalayerlab.lab.Settings;
import org.datalayerlab.lab.net.NetworkLink;
import org.datalayerlab.lab.server.Loopback;
import org.datalayerlab.lab.server.StreamingCluster;

/**
 * A primary and streaming replicas in containers, all on this machine's loopback. The image ships
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
        ContainerPostgres p = backend.startServer("primary", settings);
        p.execute(ContainerCommands.createReplicationRoleSql(backend.replicationPassword()));
        return p;
    }

    /** Its postgresql.conf is the upstream's (the base backup copies it) with {@code settings} appended. */
    @Override
    protected ContainerPostgres startReplica(ContainerPostgres upstream, String replicaName, Settings settings) {
        return backend.startReplica(replicaName, upstream, settings);
    }

    @Override
    protected void pointAt(ContainerPostgres standby, ContainerPostgres upstream) {
        standby.writeReplicationConf(upstream == null ? ContainerCommands.noReplicationConf()
                : ContainerCommands.replicationConf(Loopback.HOST, upstream.port(), backend.replicationPassword(), standby.name()));
    }

    /** Toxiproxy or the in-JVM proxy: either listens on 127.0.0.1, which the replica's container shares. */
    @Override
    protected NetworkLink linkTo(ContainerPostgres upstream) {
        return backend.link(upstream);
    }

    @Override
    protected void pointThrough(ContainerPostgres standby, ContainerPostgres upstream, NetworkLink link) {
        standby.writeReplicationConf(ContainerCommands.replicationConf(link.host(), link.port(),
                backend.replicationPassword(), standby.name()));
    }
}
