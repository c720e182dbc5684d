package org.datalayerlab.lab.server.containers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.datalayerlab.lab.Lab;
import org.datalayerlab.lab.LabException;
import org.datalayerlab.lab.Settings;
import org.datalayerlab.lab.server.DockerProbe;
import org.datalayerlab.lab.server.JdbcServer;
import org.datalayerlab.lab.server.Reaper;
import org.junit.jupiter.api.Test;
import org.testcontainers.containers.GenericContainer;

/**
 * The containers backend without a Docker engine: how its containers are defined (nothing is
 * created until start; asking for the image would reach Docker), the errors it gives before it would reach Docker, and the error a lab
 * gets when LAB_BACKEND=containers and no engine answers. Running servers need Docker: not here.
 */
class ContainersBackendTest {

    @Test
    void aServerContainerIsTheConfiguredImageOnTheLoopbackWithAGeneratedPassword() {
        ContainersBackend backend = new ContainersBackend("datalayerlab/postgres:17", false);
        GenericContainer<?> c = backend.serverContainer(41234, "secretpw", Settings.of("max_connections", "20"));
        // (the container's own image name would ask Docker: nothing here may)
        assertEquals("datalayerlab/postgres:17", backend.image().asCanonicalNameString().replace("docker.io/", ""));
        assertEquals("host", c.getNetworkMode(), "listens on this machine's loopback only: see ContainersBackend");
        assertTrue(c.getExposedPorts().isEmpty(), "nothing is published");
        assertEquals(List.of("postgres", "-c", "port=41234", "-c", "listen_addresses=127.0.0.1"), List.of(c.getCommandParts()));
        assertEquals("secretpw", c.getEnvMap().get("POSTGRES_PASSWORD"));
        assertEquals("postgres", c.getEnvMap().get("POSTGRES_USER"));
        assertFalse(c.getEnvMap().containsKey("POSTGRES_HOST_AUTH_METHOD"), "password auth stays on (scram-sha-256)");
        // unlike Testcontainers' PostgreSQL module, no fsync=off
        assertFalse(String.join(" ", c.getCommandParts()).contains("fsync"));
        assertEquals(Reaper.jvmId(), c.getLabels().get(LabContainers.LABEL), "labelled with the JVM that owns it");
        assertEquals("the in-JVM TCP proxy (no Toxiproxy image on the engine)", backend.linkKind());
        backend.close();
    }

    @Test
    void aReplicaContainerRunsTheReplicaScript() {
        ContainersBackend backend = new ContainersBackend("postgres:17", true);
        GenericContainer<?> c = backend.replicaContainer(41235, 41234, "replpw", "replica2", Settings.none());
        assertEquals("host", c.getNetworkMode());
        assertEquals(List.of(ContainerCommands.REPLICA_SCRIPT), List.of(c.getCommandParts()));
        // its data and superuser password come from the primary's base backup, not from the environment
        assertFalse(c.getEnvMap().containsKey("POSTGRES_PASSWORD"));
        assertEquals(Reaper.jvmId(), c.getLabels().get(LabContainers.LABEL));
        assertTrue(backend.linkKind().startsWith("Toxiproxy"), backend.linkKind());
        backend.close();
    }

    @Test
    void refusesToProxyServersItDidNotStart() {
        ContainersBackend backend = new ContainersBackend("postgres:17", false);
        try {
            JdbcServer foreign = new JdbcServer() {
                @Override public String name() { return "elsewhere"; }
                @Override public String host() { return "127.0.0.1"; }
                @Override public int port() { return 1; }
                @Override public String user() { return "u"; }
                @Override public String password() { return "p"; }
                @Override public boolean isRunning() { return false; }
                @Override public void start() { }
                @Override public void stop() { }
                @Override public void kill9() { }
                @Override public long pid() { return -1; }
            };
            LabException e = assertThrows(LabException.class, () -> backend.link(foreign));
            assertTrue(e.getMessage().contains("links its own servers only"), e.getMessage());
        } finally {
            backend.close();
        }
        LabException closed = assertThrows(LabException.class, () -> backend.postgres("pg1", Settings.none()));
        assertTrue(closed.getMessage().contains("this lab is closed"), closed.getMessage());
        backend.close();
    }

    /** The same clear error as BackendChoiceTest's, through the front door, on a machine without Docker. */
    @Test
    void labOnContainersWithoutDockerSaysWhatToDo() {
        Map<String, String> env = new HashMap<>(System.getenv());
        assumeFalse(DockerProbe.probe(env).reachable(), "a Docker engine answers here");
        LabException e = assertThrows(LabException.class, () -> Lab.start("containers"));
        assertTrue(e.getMessage().startsWith("LAB_BACKEND=containers, but no Docker engine answered"), e.getMessage());
        assertTrue(e.getMessage().contains("LAB_BACKEND=embedded"), e.getMessage());
    }
}
