package org.datalayerlab.lab.server.containers;

import eu.rekawek.toxiproxy.Proxy;
import eu.rekawek.toxiproxy.ToxiproxyClient;
import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import org.datalayerlab.lab.Cluster;
import org.datalayerlab.lab.ClusterSpec;
import org.datalayerlab.lab.LabException;
import org.datalayerlab.lab.Postgres;
import org.datalayerlab.lab.Settings;
import org.datalayerlab.lab.net.NetworkLink;
import org.datalayerlab.lab.net.ToxiproxyLink;
import org.datalayerlab.lab.server.Cleanup;
import org.datalayerlab.lab.server.OwningBackend;
import org.datalayerlab.lab.server.Loopback;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.Network;
import org.testcontainers.containers.ToxiproxyContainer;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.images.builder.Transferable;
import org.testcontainers.utility.DockerImageName;

/**
 * PostgreSQL 17 from the official postgres image in Docker containers on one Docker network per
 * lab, and Toxiproxy for network faults. Testcontainers' Ryuk container removes them if the JVM
 * dies. Every published port is bound to 127.0.0.1; the superuser (postgres) and the replication
 * role (replicator) have passwords generated per lab; PostgreSQL keeps its own defaults
 * (fsync and synchronous_commit on), unlike Testcontainers' PostgreSQL module (which sets
 * fsync=off and whose wait for two "ready" lines does not fit a standby): hence plain
 * GenericContainers of the postgres image. Clusters: {@link ContainerCluster}.
 *
 * <p>Needs a local Docker engine: the ports are published on this machine's loopback.
 * Testcontainers' own Ryuk container is not ours to bind; it publishes its port as Testcontainers does.
 */
public final class ContainersBackend extends OwningBackend<ContainerPostgres> {

    static final DockerImageName POSTGRES = DockerImageName.parse(ContainerCommands.IMAGE);
    static final DockerImageName TOXIPROXY = DockerImageName.parse("ghcr.io/shopify/toxiproxy:2.5.0");
    private static final int TOXIPROXY_FIRST_PORT = 8666;
    private static final int TOXIPROXY_LAST_PORT = 8697;
    private static final Duration START_TIMEOUT = Duration.ofSeconds(120);

    private final String password = ContainerCommands.newPassword();
    private final String replicationPassword = ContainerCommands.newPassword();
    private final Network network = Network.newNetwork();
    private ToxiproxyContainer toxiproxy;
    private ToxiproxyClient toxiproxyClient;
    private int nextProxyPort = TOXIPROXY_FIRST_PORT;

    @Override
    public String name() {
        return "containers";
    }

    @Override
    public synchronized Postgres postgres(String name, Settings settings) {
        return startServer(null, name, settings);
    }

    @Override
    public Cluster cluster(String name, ClusterSpec spec) {
        return new ContainerCluster(this, name, spec).startUp();
    }

    String replicationPassword() {
        return replicationPassword;
    }

    /** A new server initialised by the image, with {@code settings} in its postgresql.conf; running. */
    synchronized ContainerPostgres startServer(String clusterName, String name, Settings settings) {
        checkOpen();
        String alias = ContainerCommands.alias(clusterName, name);
        int hostPort = Loopback.freePort();
        return start(new ContainerPostgres(name, alias, hostPort, password,
                serverContainer(network, alias, hostPort, password, settings)));
    }

    /** A new streaming replica of {@code upstream}, whose slot {@code name} exists; running (read-only). */
    synchronized ContainerPostgres startReplica(String clusterName, String name, ContainerPostgres upstream, Settings settings) {
        checkOpen();
        String alias = ContainerCommands.alias(clusterName, name);
        int hostPort = Loopback.freePort();
        return start(new ContainerPostgres(name, alias, hostPort, password,
                replicaContainer(network, alias, hostPort, upstream.alias(), replicationPassword, name, settings)));
    }

    /** Starts the container (Testcontainers waits for the ready line in its log), then for a connection. */
    private ContainerPostgres start(ContainerPostgres pg) {
        own(pg);
        try {
            pg.container.start();
            pg.awaitReady();
            return pg;
        } catch (RuntimeException e) {
            String log = pg.container.getContainerId() == null ? "" : ContainerCommands.tail(pg.container.getLogs(), 15);
            servers.remove(pg);
            pg.destroy();
            if (e instanceof LabException) {
                throw e;
            }
            throw new LabException(pg.name() + ": its PostgreSQL container (" + ContainerCommands.IMAGE + ") did not start: "
                    + e.getMessage() + (log.isEmpty() ? "" : ". End of its log:\n" + log), e);
        }
    }

    /** A server the image initialises: superuser password, lesson settings and pg_hba line via an init script. */
    static GenericContainer<?> serverContainer(Network network, String alias, int hostPort, String password, Settings settings) {
        return postgresContainer(network, alias, hostPort)
                .withEnv("POSTGRES_USER", ContainerCommands.SUPERUSER)
                .withEnv("POSTGRES_PASSWORD", password)
                .withEnv("POSTGRES_DB", "postgres")
                .withCopyToContainer(Transferable.of(ContainerCommands.initScript(settings), 0755), ContainerCommands.INIT_SCRIPT)
                // present on every server, so PostgreSQL has nothing to report missing and a promotion only rewrites it
                .withCopyToContainer(Transferable.of(ContainerCommands.noReplicationConf()), ContainerCommands.REPLICATION_CONF)
                .withCommand("postgres")
                // the image starts a temporary server to initialise, then the real one: two ready lines
                .waitingFor(Wait.forLogMessage(ContainerCommands.READY_LOG, 2).withStartupTimeout(START_TIMEOUT));
    }

    /** A standby: its command takes a base backup of the upstream at first start (see ContainerCommands#replicaScript). */
    static GenericContainer<?> replicaContainer(Network network, String alias, int hostPort, String upstreamAlias,
                                                String replicationPassword, String replicaName, Settings settings) {
        return postgresContainer(network, alias, hostPort)
                .withCopyToContainer(Transferable.of(ContainerCommands.replicaScript(upstreamAlias, replicationPassword,
                        replicaName, settings), 0755), ContainerCommands.REPLICA_SCRIPT)
                .withCopyToContainer(Transferable.of(ContainerCommands.replicationConf(upstreamAlias, replicationPassword,
                        replicaName)), ContainerCommands.REPLICATION_CONF)
                .withCommand(ContainerCommands.REPLICA_SCRIPT)
                .waitingFor(Wait.forLogMessage(ContainerCommands.STANDBY_READY_LOG, 1).withStartupTimeout(START_TIMEOUT));
    }

    private static GenericContainer<?> postgresContainer(Network network, String alias, int hostPort) {
        return new GenericContainer<>(POSTGRES)
                .withNetwork(network)
                .withNetworkAliases(alias)
                .withExposedPorts(ContainerCommands.PG_PORT)
                .withCreateContainerCmdModifier(cmd -> ContainerCommands.bindToLoopback(cmd, Map.of(ContainerCommands.PG_PORT, hostPort)));
    }

    /** A Toxiproxy proxy (one Toxiproxy container per lab) in front of a server of this lab. */
    @Override
    public synchronized NetworkLink link(Postgres target) {
        checkOpen();
        if (!(target instanceof ContainerPostgres pg) || !servers.contains(pg)) {
            throw new LabException("link(" + target.name() + "): the containers backend proxies its own servers only");
        }
        if (nextProxyPort > TOXIPROXY_LAST_PORT) {
            throw new LabException("the Toxiproxy container exposes " + (TOXIPROXY_LAST_PORT - TOXIPROXY_FIRST_PORT + 1)
                    + " proxy ports; this lab used them all");
        }
        try {
            if (toxiproxy == null) {
                toxiproxy = new ToxiproxyContainer(TOXIPROXY)
                        .withNetwork(network)
                        .withCreateContainerCmdModifier(cmd -> ContainerCommands.bindToLoopback(cmd, Map.of()));
                toxiproxy.start();
                toxiproxyClient = new ToxiproxyClient(ContainerCommands.LOOPBACK, toxiproxy.getControlPort());
            }
            int listen = nextProxyPort++;
            Proxy proxy = toxiproxyClient.createProxy(pg.alias() + "-" + listen, "0.0.0.0:" + listen,
                    pg.alias() + ":" + ContainerCommands.PG_PORT);
            NetworkLink link = new ToxiproxyLink(proxy, ContainerCommands.LOOPBACK, toxiproxy.getMappedPort(listen));
            return own(link);
        } catch (IOException e) {
            throw new LabException("could not create a Toxiproxy proxy for " + target.name() + ": " + e.getMessage(), e);
        }
    }

    /** Removes the container with its data. */
    @Override
    protected void destroy(ContainerPostgres server) {
        server.destroy();
    }

    /** Then the Toxiproxy container and the lab's network. */
    @Override
    protected void closeRest(Cleanup cleanup) {
        cleanup.run(() -> {
            if (toxiproxy != null) {
                toxiproxy.stop();
            }
        }).run(network::close);
    }
}
