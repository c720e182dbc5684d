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
import java.util.List;
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

    /**
     * A stand-in Docker engine on a Unix socket: answers each request with what {@code answer}
     * gives for "METHOD path" (status and body), or never, when it gives null (a registry out of reach).
     */
    static final class FakeEngine implements AutoCloseable {
        final String dockerHost;
        final java.util.List<String> requests = new java.util.concurrent.CopyOnWriteArrayList<>();
        private final ServerSocketChannel server;

        FakeEngine(Path socket, java.util.function.Function<String, String[]> answer) throws Exception {
            server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
            server.bind(UnixDomainSocketAddress.of(socket));
            dockerHost = "unix://" + socket;
            Thread engine = new Thread(() -> {
                while (server.isOpen()) {
                    try {
                        SocketChannel c = server.accept();
                        ByteBuffer in = ByteBuffer.allocate(4096);
                        c.read(in);
                        String line = new String(in.array(), 0, in.position(), StandardCharsets.US_ASCII).split(" HTTP/")[0];
                        requests.add(line);
                        String[] a = answer.apply(line);
                        if (a == null) {
                            continue; // keeps the connection open and silent
                        }
                        c.write(ByteBuffer.wrap(("HTTP/1.0 " + a[0] + " X\r\n\r\n" + a[1]).getBytes(StandardCharsets.UTF_8)));
                        c.close();
                    } catch (Exception e) {
                        return;
                    }
                }
            });
            engine.setDaemon(true);
            engine.start();
        }

        @Override
        public void close() throws Exception {
            server.close();
        }
    }

    /** A Unix socket that answers /_ping like a Docker engine, and has the image, counts as one ready for containers. */
    @Test
    void probeRecognisesAnEngineWithTheImage(@TempDir Path dir) throws Exception {
        try (FakeEngine engine = new FakeEngine(dir.resolve("docker.sock"), r -> new String[] {"200", "OK"})) {
            Map<String, String> env = Map.of("DOCKER_HOST", engine.dockerHost, "LAB_POSTGRES_IMAGE", "datalayerlab/postgres:17");
            DockerProbe.Result r = DockerProbe.probe(env);
            assertTrue(r.ready(), r.toString());
            assertEquals(List.of("GET /_ping", "GET /info", "GET /images/datalayerlab/postgres:17/json"), engine.requests);
            BackendChoice auto = BackendChoice.decide(env, () -> r);
            assertEquals("containers", auto.backend());
            assertTrue(auto.reason().contains("has datalayerlab/postgres:17"), auto.reason());
        }
    }

    /** No image and no registry: auto says why it takes embedded; explicit containers names the image and both ways out. */
    @Test
    void engineWithoutTheImageAndNoRegistry(@TempDir Path dir) throws Exception {
        try (FakeEngine engine = new FakeEngine(dir.resolve("docker.sock"), r -> r.startsWith("GET /_ping") ? new String[] {"200", "OK"}
                : r.startsWith("POST /images/create") ? new String[] {"500", "{\"message\":\"Get \\\"https://registry/v2/\\\": no such host\"}"}
                : new String[] {"404", "{\"message\":\"No such image: postgres:17\"}"})) {
            Map<String, String> env = Map.of("DOCKER_HOST", engine.dockerHost);
            DockerProbe.Result r = DockerProbe.probe(env);
            assertTrue(r.reachable() && !r.ready(), r.toString());
            assertEquals("postgres:17", r.image());
            assertTrue(r.problem().contains("no such host"), r.problem());
            assertTrue(engine.requests.contains("POST /images/create?fromImage=postgres%3A17"), engine.requests.toString());

            BackendChoice auto = BackendChoice.decide(env, () -> r);
            assertEquals("embedded", auto.backend());
            assertTrue(auto.reason().contains("postgres:17 is not on the engine and could not be pulled within 60 s"), auto.reason());
            assertFalse(auto.reason().contains("\n"), "one line");

            Map<String, String> explicit = Map.of("DOCKER_HOST", engine.dockerHost, "LAB_BACKEND", "containers");
            LabException e = assertThrows(LabException.class, () -> BackendChoice.decide(explicit, () -> r));
            assertTrue(e.getMessage().contains("docker pull postgres:17"), e.getMessage());
            assertTrue(e.getMessage().contains("containers/build-images"), e.getMessage());
            assertTrue(e.getMessage().contains("LAB_BACKEND=embedded"), e.getMessage());
        }
    }

    /** Docker Desktop's containers do not share this machine's loopback: auto takes embedded and says why. */
    @Test
    void dockerDesktopIsNotUsed(@TempDir Path dir) throws Exception {
        try (FakeEngine engine = new FakeEngine(dir.resolve("docker.sock"), r -> r.startsWith("GET /info")
                ? new String[] {"200", "{\"ID\":\"x\",\"OperatingSystem\":\"Docker Desktop\",\"OSType\":\"linux\"}"}
                : new String[] {"200", "OK"})) {
            Map<String, String> env = Map.of("DOCKER_HOST", engine.dockerHost);
            DockerProbe.Result r = DockerProbe.probe(env);
            assertFalse(r.ready());
            assertFalse(r.imageMissing());
            BackendChoice auto = BackendChoice.decide(env, () -> r);
            assertEquals("embedded", auto.backend());
            assertTrue(auto.reason().contains("Docker Desktop runs containers in a VM"), auto.reason());
            LabException e = assertThrows(LabException.class,
                    () -> BackendChoice.decide(Map.of("LAB_BACKEND", "containers"), () -> r));
            assertTrue(e.getMessage().contains("LAB_BACKEND=embedded") && !e.getMessage().contains("docker pull"), e.getMessage());
        }
    }

    /** A pull that never finishes (a registry that does not answer) is given up at the budget. */
    @Test
    void aHangingPullIsCutAtTheBudget(@TempDir Path dir) throws Exception {
        try (FakeEngine engine = new FakeEngine(dir.resolve("docker.sock"), r -> r.startsWith("POST") ? null
                : r.startsWith("GET /_ping") ? new String[] {"200", "OK"} : new String[] {"404", "{}"})) {
            long t0 = System.nanoTime();
            String problem = ContainerImages.ensure(engine.dockerHost, "postgres:17", java.time.Duration.ofSeconds(1));
            long took = System.nanoTime() - t0;
            assertTrue(problem.contains("within 1 s"), problem);
            assertTrue(took < 5_000_000_000L, "gave up after " + took / 1e9 + " s");
        }
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
