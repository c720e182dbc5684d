package org.datalayerlab.lab.server;

import eu.rekawek.toxiproxy.Proxy;
import eu.rekawek.toxiproxy.ToxiproxyClient;
import eu.rekawek.toxiproxy.model.ToxicDirection;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.datalayerlab.lab.Cluster;
import org.datalayerlab.lab.ClusterSpec;
import org.datalayerlab.lab.LabException;
import org.datalayerlab.lab.Postgres;
import org.datalayerlab.lab.Settings;
import org.datalayerlab.lab.net.NetworkLink;
import org.testcontainers.containers.Network;
import org.testcontainers.containers.PostgreSQLContainer;
import org.testcontainers.containers.ToxiproxyContainer;
import org.testcontainers.utility.DockerImageName;

/**
 * PostgreSQL 17 in Docker containers (Testcontainers, whose Ryuk container removes them if the
 * JVM dies) and Toxiproxy for network faults. Single servers and server sets only: streaming
 * clusters need the embedded backend for now, and this says so.
 */
public final class ContainersBackend implements Backend {

    static final DockerImageName POSTGRES = DockerImageName.parse("postgres:17");
    static final DockerImageName TOXIPROXY = DockerImageName.parse("ghcr.io/shopify/toxiproxy:2.5.0");

    private final Network network = Network.newNetwork();
    private final List<ContainerPostgres> servers = new ArrayList<>();
    private ToxiproxyContainer toxiproxy;
    private ToxiproxyClient toxiproxyClient;
    private int nextProxyPort = 8666;

    @Override
    public String name() {
        return "containers";
    }

    @Override
    public synchronized Postgres postgres(String name, Settings settings) {
        List<String> command = new ArrayList<>(List.of("postgres", "-c", "fsync=on", "-c", "synchronous_commit=on"));
        settings.asMap().forEach((k, v) -> {
            command.add("-c");
            command.add(k + "=" + v);
        });
        PostgreSQLContainer<?> c = new PostgreSQLContainer<>(POSTGRES)
                .withNetwork(network)
                .withNetworkAliases(name)
                .withCommand(command.toArray(String[]::new));
        c.start();
        ContainerPostgres pg = new ContainerPostgres(name, c);
        servers.add(pg);
        return pg;
    }

    @Override
    public Cluster cluster(String name, ClusterSpec spec) {
        throw new LabException("streaming-replication clusters are not available on the containers backend yet:"
                + " run this lesson with LAB_BACKEND=embedded");
    }

    /** A Toxiproxy proxy (one Toxiproxy container per lab) in front of a server of this lab. */
    @Override
    public synchronized NetworkLink link(Postgres target) {
        if (!(target instanceof ContainerPostgres pg)) {
            throw new LabException("link(" + target.name() + "): the containers backend proxies its own servers only");
        }
        try {
            if (toxiproxy == null) {
                toxiproxy = new ToxiproxyContainer(TOXIPROXY).withNetwork(network);
                toxiproxy.start();
                toxiproxyClient = new ToxiproxyClient(toxiproxy.getHost(), toxiproxy.getControlPort());
            }
            int listen = nextProxyPort++;
            if (listen > 8666 + 30) {
                throw new LabException("the Toxiproxy container exposes 31 proxy ports; this lab used them all");
            }
            Proxy proxy = toxiproxyClient.createProxy(pg.name() + "-" + listen, "0.0.0.0:" + listen, pg.name() + ":5432");
            return new ToxiproxyLink(proxy, toxiproxy.getHost(), toxiproxy.getMappedPort(listen));
        } catch (IOException e) {
            throw new LabException("could not create a Toxiproxy proxy for " + target.name() + ": " + e.getMessage(), e);
        }
    }

    @Override
    public synchronized void close() {
        for (int i = servers.size() - 1; i >= 0; i--) {
            servers.get(i).closePools();
            servers.get(i).container.stop();
        }
        if (toxiproxy != null) {
            toxiproxy.stop();
        }
        network.close();
    }

    /** A PostgreSQL container; stop/start/kill9 act on the container. */
    static final class ContainerPostgres extends JdbcServer {
        private final String name;
        final PostgreSQLContainer<?> container;

        ContainerPostgres(String name, PostgreSQLContainer<?> container) {
            this.name = name;
            this.container = container;
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        public String host() {
            return container.getHost();
        }

        @Override
        public int port() {
            return container.getMappedPort(5432);
        }

        @Override
        public String database() {
            return container.getDatabaseName();
        }

        @Override
        public String user() {
            return container.getUsername();
        }

        @Override
        public String password() {
            return container.getPassword();
        }

        @Override
        public boolean isRunning() {
            return container.isRunning();
        }

        @Override
        public void start() {
            if (!container.isRunning()) {
                container.getDockerClient().startContainerCmd(container.getContainerId()).exec();
            }
        }

        @Override
        public void stop() {
            closePools();
            container.getDockerClient().stopContainerCmd(container.getContainerId()).exec();
        }

        @Override
        public void kill9() {
            closePools();
            container.getDockerClient().killContainerCmd(container.getContainerId()).withSignal("KILL").exec();
        }

        @Override
        public long pid() {
            return -1;
        }

        @Override
        protected synchronized void closePools() {
            super.closePools();
        }
    }

    /** The shared NetworkLink interface on a Toxiproxy proxy. */
    static final class ToxiproxyLink implements NetworkLink {
        private final Proxy proxy;
        private final String host;
        private final int port;

        ToxiproxyLink(Proxy proxy, String host, int port) {
            this.proxy = proxy;
            this.host = host;
            this.port = port;
        }

        @Override
        public String host() {
            return host;
        }

        @Override
        public int port() {
            return port;
        }

        @Override
        public NetworkLink delay(Duration roundTrip, Duration jitter) {
            try {
                removeToxic("lab-latency-up");
                removeToxic("lab-latency-down");
                if (!roundTrip.isZero() || !jitter.isZero()) {
                    // half each way, as the interface promises; jitter split the same way
                    long half = roundTrip.toMillis() / 2;
                    proxy.toxics().latency("lab-latency-up", ToxicDirection.UPSTREAM, half).setJitter(jitter.toMillis() / 2);
                    proxy.toxics().latency("lab-latency-down", ToxicDirection.DOWNSTREAM, roundTrip.toMillis() - half)
                            .setJitter(jitter.toMillis() - jitter.toMillis() / 2);
                }
                return this;
            } catch (IOException e) {
                throw new LabException("Toxiproxy: " + e.getMessage(), e);
            }
        }

        @Override
        public NetworkLink bandwidth(long bytesPerSecond) {
            try {
                removeToxic("lab-bandwidth-up");
                removeToxic("lab-bandwidth-down");
                if (bytesPerSecond > 0) {
                    long kb = Math.max(1, bytesPerSecond / 1024);
                    proxy.toxics().bandwidth("lab-bandwidth-up", ToxicDirection.UPSTREAM, kb);
                    proxy.toxics().bandwidth("lab-bandwidth-down", ToxicDirection.DOWNSTREAM, kb);
                }
                return this;
            } catch (IOException e) {
                throw new LabException("Toxiproxy: " + e.getMessage(), e);
            }
        }

        @Override
        public NetworkLink partition(Partition mode) {
            try {
                removeToxic("lab-drop-up");
                removeToxic("lab-drop-down");
                proxy.enable();
                switch (mode) {
                    case NONE -> { }
                    // a timeout toxic with timeout 0 swallows the data and keeps the connection open
                    case DROP -> {
                        proxy.toxics().timeout("lab-drop-up", ToxicDirection.UPSTREAM, 0);
                        proxy.toxics().timeout("lab-drop-down", ToxicDirection.DOWNSTREAM, 0);
                    }
                    // a disabled proxy closes its connections and refuses new ones
                    case RESET -> proxy.disable();
                }
                return this;
            } catch (IOException e) {
                throw new LabException("Toxiproxy: " + e.getMessage(), e);
            }
        }

        private void removeToxic(String name) throws IOException {
            if (proxy.toxics().getAll().stream().anyMatch(t -> t.getName().equals(name))) {
                proxy.toxics().get(name).remove();
            }
        }

        @Override
        public void close() {
            try {
                proxy.delete();
            } catch (IOException e) {
                // the container goes with the lab anyway
            }
        }
    }
}
