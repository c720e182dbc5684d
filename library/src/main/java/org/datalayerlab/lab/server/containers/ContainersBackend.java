package org.datalayerlab.lab.server.containers;

import static org.testcontainers.containers.wait.strategy.Wait.forLogMessage;

import eu.rekawek.toxiproxy.Proxy;
import eu.rekawek.toxiproxy.ToxiproxyClient;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.datalayerlab.lab.Cluster;
import org.datalayerlab.lab.ClusterSpec;
import org.datalayerlab.lab.LabConfig;
import org.datalayerlab.lab.LabException;
import org.datalayerlab.lab.Postgres;
import org.datalayerlab.lab.Settings;
import org.datalayerlab.lab.Wait;
import org.datalayerlab.lab.net.NetworkLink;
import org.datalayerlab.lab.net.NetworkLinks;
import org.datalayerlab.lab.net.ToxiproxyLink;
import org.datalayerlab.lab.server.Cleanup;
import org.datalayerlab.lab.server.ContainerImages;
import org.datalayerlab.lab.server.DockerProbe;
import org.datalayerlab.lab.server.OwningBackend;
import org.datalayerlab.lab.server.Loopback;
import org.datalayerlab.lab.server.Reaper;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.images.builder.Transferable;
import org.testcontainers.utility.DockerImageName;

/**
 * PostgreSQL 17 in Docker containers, from LAB_POSTGRES_IMAGE (default the official postgres:17;
 * the lab's own image from containers/build-images works the same: the backend relies only on the
 * official image's interface: POSTGRES_* variables, /docker-entrypoint-initdb.d, arguments, gosu,
 * pg_basebackup). PostgreSQL keeps its own defaults (fsync and synchronous_commit on), unlike
 * Testcontainers' PostgreSQL module: hence plain GenericContainers. Clusters: {@link ContainerCluster}.
 *
 * <p>Where things listen, and why: every container runs on the host's network, and each server
 * listens on 127.0.0.1 only, at a port the lab picks. Replicas reach their primary, and network
 * links (Toxiproxy, or the in-JVM proxy) sit, on that same loopback, so a link can go between
 * client and server or between replica and primary alike, and nothing listens on an address
 * another machine could reach: no published ports, no bridge, no Docker network to clean up.
 * This needs an engine that shares this machine's network (Linux; not Docker Desktop's VM).
 *
 * <p>Nothing left behind: see {@link LabContainers} (labels, watchdog, reaping); Testcontainers'
 * Ryuk is used as well when its image is on the engine. The superuser and the replication role
 * have passwords generated per lab, and every TCP login needs one.
 */
public final class ContainersBackend extends OwningBackend<ContainerPostgres> {

    private static final Duration START_TIMEOUT = Duration.ofSeconds(120);

    private final DockerImageName image;
    private final boolean toxiproxyImage;
    private final String password = ContainerCommands.newPassword();
    private final String replicationPassword = ContainerCommands.newPassword();
    private GenericContainer<?> toxiproxy;
    private ToxiproxyClient toxiproxyClient;
    /** Containers being removed (close removes them all at once: about a second each on a busy machine). */
    private final List<CompletableFuture<Void>> removals = new ArrayList<>();

    ContainersBackend(String image, boolean toxiproxyImage) {
        this.image = DockerImageName.parse(image);
        this.toxiproxyImage = toxiproxyImage;
    }

    /** The backend on the engine the probe finds (BackendChoice made sure it answers and has the image). */
    public static ContainersBackend open(LabConfig config) {
        DockerProbe.Result d = DockerProbe.probe(System.getenv());
        if (!d.ready()) {
            throw new LabException("the Docker engine " + (d.reachable() ? "cannot run " + config.postgresImage() + ": "
                    + d.problem() : "no longer answers (" + d.where() + ")"));
        }
        RyukSwitch.useOnlyIfPresent(d.dockerHost());
        LabContainers.reapAbandoned(d.dockerHost());
        LabContainers.startWatchdog(d.dockerHost());
        return new ContainersBackend(config.postgresImage(), ContainerImages.present(d.dockerHost(), ContainerImages.TOXIPROXY));
    }

    @Override
    public String name() {
        return "containers";
    }

    /** The PostgreSQL image its servers run. */
    DockerImageName image() {
        return image;
    }

    @Override
    public String linkKind() {
        return toxiproxyImage ? "Toxiproxy (" + ContainerImages.TOXIPROXY + ")"
                : "the in-JVM TCP proxy (no Toxiproxy image on the engine)";
    }

    @Override
    public synchronized Postgres postgres(String name, Settings settings) {
        return startServer(name, settings);
    }

    @Override
    public Cluster cluster(String name, ClusterSpec spec) {
        return new ContainerCluster(this, name, spec).startUp();
    }

    String replicationPassword() {
        return replicationPassword;
    }

    /** A new server initialised by the image, with {@code settings} in its postgresql.conf; running. */
    synchronized ContainerPostgres startServer(String name, Settings settings) {
        checkOpen();
        int port = Loopback.freePort();
        return start(new ContainerPostgres(name, port, password, serverContainer(port, password, settings)));
    }

    /** A new streaming replica of {@code upstream}, whose slot {@code name} exists; running (read-only). */
    synchronized ContainerPostgres startReplica(String name, ContainerPostgres upstream, Settings settings) {
        checkOpen();
        int port = Loopback.freePort();
        return start(new ContainerPostgres(name, port, password,
                replicaContainer(port, upstream.port(), replicationPassword, name, settings)));
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
            throw new LabException(pg.name() + ": its PostgreSQL container (" + image + ") did not start: "
                    + e.getMessage() + (log.isEmpty() ? "" : ". End of its log:\n" + log), e);
        }
    }

    /** A server the image initialises: superuser password, lesson settings and pg_hba via an init script. */
    GenericContainer<?> serverContainer(int port, String password, Settings settings) {
        return postgresContainer()
                .withEnv("POSTGRES_USER", ContainerCommands.SUPERUSER)
                .withEnv("POSTGRES_PASSWORD", password)
                .withEnv("POSTGRES_DB", "postgres")
                // a lab's data directory lives as long as its container: initdb need not fsync its ~1000 new files
                // (commits still do: fsync stays on)
                .withEnv("POSTGRES_INITDB_ARGS", "--no-sync")
                .withCopyToContainer(Transferable.of(ContainerCommands.initScript(settings), 0755), ContainerCommands.INIT_SCRIPT)
                // present on every server, so PostgreSQL has nothing to report missing and a promotion only rewrites it
                .withCopyToContainer(Transferable.of(ContainerCommands.noReplicationConf()), ContainerCommands.REPLICATION_CONF)
                .withCommand(ContainerCommands.serverCommand(port).toArray(String[]::new))
                // the image starts a temporary server to initialise, then the real one: two ready lines
                .waitingFor(forLogMessage(ContainerCommands.READY_LOG, 2).withStartupTimeout(START_TIMEOUT));
    }

    /** A standby: its command takes a base backup of the upstream at first start (see ContainerCommands#replicaScript). */
    GenericContainer<?> replicaContainer(int port, int upstreamPort, String replicationPassword, String replicaName,
                                         Settings settings) {
        return postgresContainer()
                .withCopyToContainer(Transferable.of(ContainerCommands.replicaScript(upstreamPort, replicationPassword,
                        replicaName, settings, port), 0755), ContainerCommands.REPLICA_SCRIPT)
                .withCopyToContainer(Transferable.of(ContainerCommands.replicationConf(Loopback.HOST, upstreamPort,
                        replicationPassword, replicaName)), ContainerCommands.REPLICATION_CONF)
                .withCommand(ContainerCommands.REPLICA_SCRIPT)
                .waitingFor(forLogMessage(ContainerCommands.STANDBY_READY_LOG, 1).withStartupTimeout(START_TIMEOUT));
    }

    private GenericContainer<?> postgresContainer() {
        return new GenericContainer<>(image)
                .withNetworkMode("host")
                .withLabels(Map.of(LabContainers.LABEL, Reaper.jvmId()));
    }

    /**
     * A path to a server of this lab that a lesson can delay, throttle or cut: a Toxiproxy proxy
     * when the engine has Toxiproxy's image, else the in-JVM proxy; either listens on 127.0.0.1.
     */
    @Override
    public synchronized NetworkLink link(Postgres target) {
        checkOpen();
        if (!(target instanceof ContainerPostgres pg) || !servers.contains(pg)) {
            throw new LabException("link(" + target.name() + "): the containers backend links its own servers only");
        }
        return own(toxiproxyImage ? toxiproxyLink(pg) : NetworkLinks.inJvm(pg.host(), pg.port()));
    }

    private NetworkLink toxiproxyLink(ContainerPostgres pg) {
        try {
            if (toxiproxy == null) {
                int control = Loopback.freePort();
                toxiproxy = new GenericContainer<>(DockerImageName.parse(ContainerImages.TOXIPROXY))
                        .withNetworkMode("host")
                        .withLabels(Map.of(LabContainers.LABEL, Reaper.jvmId()))
                        // its API on the loopback too (Toxiproxy's default is every interface)
                        .withCommand("-host=" + Loopback.HOST, "-port=" + control);
                toxiproxy.start();
                Wait.upTo(Duration.ofSeconds(30)).every(Duration.ofMillis(50)).until(() -> accepts(control),
                        () -> "Toxiproxy's API did not answer on " + Loopback.HOST + ":" + control);
                toxiproxyClient = new ToxiproxyClient(Loopback.HOST, control);
            }
            int listen = Loopback.freePort();
            Proxy proxy = toxiproxyClient.createProxy(pg.name() + "-" + listen, Loopback.HOST + ":" + listen,
                    Loopback.HOST + ":" + pg.port());
            return new ToxiproxyLink(proxy, Loopback.HOST, listen);
        } catch (IOException e) {
            throw new LabException("could not create a Toxiproxy proxy for " + pg.name() + ": " + e.getMessage(), e);
        }
    }

    private static boolean accepts(int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(Loopback.HOST, port), 200);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** Starts removing the container with its data; {@link #closeRest} waits for it. */
    @Override
    protected void destroy(ContainerPostgres server) {
        removals.add(CompletableFuture.runAsync(server::destroy, task -> new Thread(task, "lab-remove-" + server.name()).start()));
    }

    /** Then waits for the removals, and removes the Toxiproxy container. */
    @Override
    protected void closeRest(Cleanup cleanup) {
        cleanup.each(removals, removal -> {
            try {
                removal.join();
            } catch (CompletionException e) {
                throw e.getCause() instanceof RuntimeException r ? r : e;
            }
        }).run(() -> {
            if (toxiproxy != null) {
                toxiproxy.stop();
            }
        });
    }
}
