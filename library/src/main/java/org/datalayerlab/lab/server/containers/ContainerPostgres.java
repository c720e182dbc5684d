package org.datalayerlab.lab.server.containers;

import com.github.dockerjava.api.command.InspectContainerResponse;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Properties;
import org.datalayerlab.lab.LabException;
import org.datalayerlab.lab.Wait;
import org.datalayerlab.lab.server.JdbcServer;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.images.builder.Transferable;

/**
 * A PostgreSQL server in a Docker container on the host network, listening on 127.0.0.1 at a
 * port fixed for its life (so its JDBC URL survives stop and start). The life cycle acts on the container, whose
 * PID 1 is the postmaster: stop is the image's stop signal (SIGINT, a fast shutdown), kill9 is
 * SIGKILL to the container, and start starts the same container again, data and all.
 */
final class ContainerPostgres extends JdbcServer {

    private static final Duration START_TIMEOUT = Duration.ofSeconds(120);
    private static final int STOP_TIMEOUT_SECONDS = 60;

    private final String name;
    private final int hostPort;
    private final String password;
    final GenericContainer<?> container;

    ContainerPostgres(String name, int hostPort, String password, GenericContainer<?> container) {
        this.name = name;
        this.hostPort = hostPort;
        this.password = password;
        this.container = container;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public String host() {
        return ContainerCommands.LOOPBACK;
    }

    @Override
    public int port() {
        return hostPort;
    }

    @Override
    public String user() {
        return ContainerCommands.SUPERUSER;
    }

    @Override
    public String password() {
        return password;
    }

    /** The container runs and the server in it accepts connections (a standby too: read-only). */
    @Override
    public synchronized boolean isRunning() {
        return container.isRunning() && acceptsConnections();
    }

    private boolean acceptsConnections() {
        Properties p = new Properties();
        p.setProperty("user", user());
        p.setProperty("password", password());
        p.setProperty("connectTimeout", "2");
        try (Connection c = DriverManager.getConnection(jdbcUrl(), p); Statement s = c.createStatement()) {
            s.execute("select 1");
            return true;
        } catch (SQLException e) {
            return false;
        }
    }

    @Override
    public synchronized long pid() {
        if (!container.isRunning()) {
            return -1;
        }
        // the host's id of the container's PID 1, the postmaster (on Docker Desktop: inside its VM)
        Long pid = container.getCurrentContainerInfo().getState().getPidLong();
        return pid == null || pid == 0 ? -1 : pid;
    }

    @Override
    public synchronized void start() {
        if (!container.isRunning()) {
            try {
                container.getDockerClient().startContainerCmd(container.getContainerId()).exec();
            } catch (RuntimeException e) {
                // e.g. another program took its host port while it was stopped
                throw new LabException(name + ": Docker could not start its container again: " + e.getMessage(), e);
            }
        }
        awaitReady();
    }

    /** Waits until the server accepts connections; a container that exits instead is reported with its log. */
    void awaitReady() {
        boolean ready = Wait.upTo(START_TIMEOUT).every(Duration.ofMillis(50)).check(() -> {
            if (!container.isRunning()) {
                throw new LabException(name + ": its container exited during start-up" + exitCode()
                        + ". End of its log:\n" + ContainerCommands.tail(container.getLogs(), 15));
            }
            return acceptsConnections();
        });
        if (!ready) {
            throw new LabException(name + ": PostgreSQL did not accept connections on " + jdbcUrl() + " within "
                    + START_TIMEOUT.toSeconds() + " s. End of its log:\n" + ContainerCommands.tail(container.getLogs(), 15));
        }
    }

    private String exitCode() {
        try {
            InspectContainerResponse.ContainerState s = container.getCurrentContainerInfo().getState();
            return " (exit code " + s.getExitCodeLong() + ")";
        } catch (RuntimeException e) {
            return "";
        }
    }

    /** Fast shutdown: the image's stop signal is SIGINT; Docker sends SIGKILL if it takes over a minute. */
    @Override
    public synchronized void stop() {
        closePools();
        if (container.isRunning()) {
            container.getDockerClient().stopContainerCmd(container.getContainerId()).withTimeout(STOP_TIMEOUT_SECONDS).exec();
        }
    }

    /** SIGKILL to the postmaster, PID 1 of the container: every process in it dies with it. */
    @Override
    public synchronized void kill9() {
        if (!container.isRunning()) {
            throw new LabException(name + " is not running: nothing to kill");
        }
        closePools();
        container.getDockerClient().killContainerCmd(container.getContainerId()).withSignal("KILL").exec();
        Wait.upTo(Duration.ofSeconds(30)).every(Duration.ofMillis(20)).until(() -> !container.isRunning(),
                () -> name + ": its container still ran after SIGKILL");
    }

    /**
     * Points this standby at another upstream (or, with {@link ContainerCommands#noReplicationConf()},
     * at none) by rewriting the file its postgresql.conf includes, and reloads it if it runs; a
     * stopped container reads the new file when it starts. Docker copies into stopped containers too.
     */
    synchronized void writeReplicationConf(String content) {
        container.copyFileToContainer(Transferable.of(content), ContainerCommands.REPLICATION_CONF);
        if (isRunning()) {
            reload();
        }
    }

    /** Removes the container and its data (Testcontainers' stop removes the container with its volumes). */
    synchronized void destroy() {
        closePools();
        container.stop();
    }
}
