package org.datalayerlab.lab.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.OutputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.datalayerlab.lab.LabException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** LAB_BACKEND and the Docker probe decide the backend; bad values get clear errors. */
class BackendChoiceTest {

    static final DockerProbe.Result DOCKER = new DockerProbe.Result(true, "/var/run/docker.sock");
    static final DockerProbe.Result NO_DOCKER = new DockerProbe.Result(false, "/var/run/docker.sock (absent)");

    @Test
    void autoPicksContainersOnlyWhenDockerAnswers() {
        assertEquals("containers", BackendChoice.decide(Map.of(), () -> DOCKER).backend());
        BackendChoice none = BackendChoice.decide(Map.of(), () -> NO_DOCKER);
        assertEquals("embedded", none.backend());
        assertTrue(none.reason().contains("no Docker engine answered"), none.reason());
        assertEquals("embedded", BackendChoice.decide(Map.of("LAB_BACKEND", "AUTO"), () -> NO_DOCKER).backend());
    }

    @Test
    void explicitEmbeddedNeverProbesDocker() {
        BackendChoice c = BackendChoice.decide(Map.of("LAB_BACKEND", "embedded"), () -> {
            throw new AssertionError("probed Docker");
        });
        assertEquals("embedded", c.backend());
    }

    @Test
    void explicitContainersWithoutDockerSaysWhatToDo() {
        LabException e = assertThrows(LabException.class,
                () -> BackendChoice.decide(Map.of("LAB_BACKEND", "containers"), () -> NO_DOCKER));
        assertTrue(e.getMessage().contains("no Docker engine answered"), e.getMessage());
        assertTrue(e.getMessage().contains("LAB_BACKEND=embedded"), e.getMessage());
        assertEquals("containers", BackendChoice.decide(Map.of("LAB_BACKEND", "containers"), () -> DOCKER).backend());
    }

    @Test
    void externalNeedsUrlsAndUnknownNamesAreRefused() {
        LabException e = assertThrows(LabException.class,
                () -> BackendChoice.decide(Map.of("LAB_BACKEND", "external"), () -> NO_DOCKER));
        assertTrue(e.getMessage().contains("LAB_EXTERNAL_URLS"));
        assertEquals("external", BackendChoice.decide(Map.of("LAB_BACKEND", "external",
                "LAB_EXTERNAL_URLS", "jdbc:postgresql://db:5432/postgres"), () -> NO_DOCKER).backend());
        LabException bad = assertThrows(LabException.class,
                () -> BackendChoice.decide(Map.of("LAB_BACKEND", "kubernetes"), () -> NO_DOCKER));
        assertTrue(bad.getMessage().contains("auto, embedded, containers or external"));
    }

    @Test
    void probeFindsNothingOnThisMachineQuickly() {
        long t0 = System.nanoTime();
        DockerProbe.Result r = DockerProbe.probe(Map.of("DOCKER_HOST", "tcp://127.0.0.1:1"));
        assertFalse(r.reachable());
        assertTrue(System.nanoTime() - t0 < 3_000_000_000L);
        assertFalse(DockerProbe.probe(Map.of("DOCKER_HOST", "unix:///nonexistent/docker.sock")).reachable());
    }

    /** A Unix socket that answers /_ping like a Docker engine counts as one. */
    @Test
    void probeRecognisesAnEngineThatAnswersPing(@TempDir Path dir) throws Exception {
        Path socket = dir.resolve("docker.sock");
        try (ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            server.bind(UnixDomainSocketAddress.of(socket));
            Thread engine = new Thread(() -> {
                try (SocketChannel c = server.accept()) {
                    c.read(ByteBuffer.allocate(256));
                    c.write(ByteBuffer.wrap("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nOK".getBytes(StandardCharsets.US_ASCII)));
                } catch (Exception ignored) {
                    // test ends
                }
            });
            engine.start();
            DockerProbe.Result r = DockerProbe.probe(Map.of("DOCKER_HOST", "unix://" + socket));
            engine.join(5_000);
            assertTrue(r.reachable(), r.where());
            assertEquals("containers", BackendChoice.decide(Map.of("DOCKER_HOST", "unix://" + socket), () -> r).backend());
        }
        assertFalse(Files.exists(dir.resolve("nothing")));
    }

    @Test
    void choosingABackendPrintsNothingToStderr() {
        java.io.PrintStream err = System.err;
        java.io.ByteArrayOutputStream captured = new java.io.ByteArrayOutputStream();
        System.setErr(new java.io.PrintStream(captured));
        try {
            BackendChoice.fromEnvironment();
            org.datalayerlab.lab.Environment.report();
        } finally {
            System.setErr(err);
        }
        assertEquals("", captured.toString());
    }

    static void unused(OutputStream o) {
    }
}
