package org.datalayerlab.lab.server;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.SocketTimeoutException;
import java.net.StandardProtocolFamily;
import java.net.URI;
import java.net.URLEncoder;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Asks a Docker engine "are you there, and do you have the PostgreSQL image?" over its Unix
 * socket or TCP, with plain HTTP and a deadline on every call, without Testcontainers: choosing a
 * backend never hangs and prints nothing. A missing image is pulled, but for at most
 * {@link #PULL_BUDGET} (with no registry in reach, Testcontainers would retry for minutes).
 */
public final class DockerProbe {

    /** How long choosing a backend may spend pulling the PostgreSQL image. */
    public static final Duration PULL_BUDGET = Duration.ofSeconds(60);
    private static final Duration CALL_TIMEOUT = Duration.ofSeconds(5);

    /**
     * The outcome.
     *
     * @param reachable    an engine answered
     * @param where        where we looked (one line for a learner)
     * @param dockerHost   the engine's address (unix:///... or tcp://...), or null if none answered
     * @param image        the PostgreSQL image the containers backend would run (LAB_POSTGRES_IMAGE)
     * @param problem      null when the containers backend can run there; else why not, in one line (the engine
     *                     does not share this machine's network, or the image is absent and the pull failed)
     */
    public record Result(boolean reachable, String where, String dockerHost, String image, String problem) {

        /** An engine that answered (or not), with the image question left out (tests). */
        public Result(boolean reachable, String where) {
            this(reachable, where, null, ContainerImages.DEFAULT_POSTGRES, null);
        }

        /** The problem is the image: absent, and the pull failed. */
        public boolean imageMissing() {
            return problem != null && problem.startsWith(image + " ");
        }

        /** The engine answers and holds the PostgreSQL image: the containers backend can run. */
        public boolean ready() {
            return reachable && problem == null;
        }
    }

    /** An HTTP answer: status code and body. */
    public record Response(int status, String body) {
    }

    private DockerProbe() {
    }

    /**
     * Checks DOCKER_HOST if set, else the usual socket paths (system, rootless, Docker Desktop);
     * if an engine answers, checks that it has LAB_POSTGRES_IMAGE, pulling it within {@link #PULL_BUDGET}.
     */
    public static Result probe(Map<String, String> env) {
        String image = ContainerImages.postgres(env);
        String found = null;
        String where;
        String dockerHost = env.get("DOCKER_HOST");
        if (dockerHost != null && !dockerHost.isBlank()) {
            where = "DOCKER_HOST=" + dockerHost.trim();
            found = ping(dockerHost.trim()) ? dockerHost.trim() : null;
        } else {
            List<String> tried = new ArrayList<>();
            List<String> sockets = new ArrayList<>(List.of("/var/run/docker.sock"));
            if (env.get("XDG_RUNTIME_DIR") != null) {
                sockets.add(env.get("XDG_RUNTIME_DIR") + "/docker.sock");
            }
            if (env.get("HOME") != null) {
                sockets.add(env.get("HOME") + "/.docker/run/docker.sock");
            }
            for (String s : sockets) {
                if (!Files.exists(Path.of(s))) {
                    tried.add(s + " (absent)");
                } else if (ping("unix://" + s)) {
                    found = "unix://" + s;
                    tried = List.of(s);
                    break;
                } else {
                    tried.add(s + " (no answer)");
                }
            }
            where = String.join(", ", tried);
        }
        if (found == null) {
            return new Result(false, where, null, image, null);
        }
        String problem = networkProblem(found);
        return new Result(true, where, found, image, problem != null ? problem : ContainerImages.ensure(found, image, PULL_BUDGET));
    }

    /**
     * Null if the engine's containers share this machine's network (servers listen on its 127.0.0.1,
     * see ContainersBackend); else why not: a remote engine, Docker Desktop's VM, rootless Docker's namespace.
     */
    static String networkProblem(String dockerHost) {
        if (dockerHost.startsWith("tcp://")) {
            String host = URI.create(dockerHost).getHost();
            if (!List.of("127.0.0.1", "localhost", "::1", "[::1]").contains(host)) {
                return "the engine runs on " + host + ", and the lab's servers listen on this machine's 127.0.0.1";
            }
        }
        try {
            String info = call(dockerHost, "GET", "/info", CALL_TIMEOUT).body();
            if (info.contains("\"OperatingSystem\":\"Docker Desktop")) {
                return "Docker Desktop runs containers in a VM, whose 127.0.0.1 is not this machine's (the lab's servers"
                        + " listen there)";
            }
            if (info.contains("name=rootless")) {
                return "rootless Docker gives containers a network namespace of their own, whose 127.0.0.1 is not this"
                        + " machine's (the lab's servers listen there)";
            }
            return null;
        } catch (IOException e) {
            return "the engine did not answer GET /info: " + e.getMessage();
        }
    }

    /** True if the engine at {@code unix:///path} or {@code tcp://host:port} answers /_ping with 200. */
    public static boolean ping(String dockerHost) {
        try {
            return call(dockerHost, "GET", "/_ping", CALL_TIMEOUT).status() == 200;
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    /** GET /images/{name}/json: 200 if the engine has the image. */
    static boolean hasImage(String dockerHost, String image) throws IOException {
        return call(dockerHost, "GET", "/images/" + image + "/json", CALL_TIMEOUT).status() == 200;
    }

    /**
     * POST /images/create, waiting at most {@code timeout}; null if the image came, else the
     * engine's reason (it streams progress as JSON lines and reports a failure in an "error" or "message" field).
     */
    static String pull(String dockerHost, String image, Duration timeout) {
        try {
            Response r = call(dockerHost, "POST", "/images/create?fromImage="
                    + URLEncoder.encode(image, StandardCharsets.UTF_8), timeout);
            if (r.status() == 200 && !r.body().contains("\"error\"") && hasImage(dockerHost, image)) {
                return null;
            }
            return engineMessage(r.body());
        } catch (SocketTimeoutException e) {
            return "no answer from the registry within " + timeout.toSeconds() + " s";
        } catch (IOException e) {
            return e.getMessage();
        }
    }

    /** The last "error" or "message" text in the engine's JSON lines (one line, unescaped enough to read). */
    static String engineMessage(String body) {
        String found = body.trim();
        for (String key : List.of("\"message\":\"", "\"error\":\"")) {
            int at = body.lastIndexOf(key);
            if (at >= 0) {
                int end = body.indexOf('"', at + key.length());
                while (end > 0 && body.charAt(end - 1) == '\\') {
                    end = body.indexOf('"', end + 1);
                }
                found = body.substring(at + key.length(), end < 0 ? body.length() : end).replace("\\\"", "\"");
            }
        }
        return found.lines().findFirst().orElse("no reason given");
    }

    /**
     * One HTTP/1.0 request (so the engine answers without chunking and closes the connection),
     * on a non-blocking channel with a deadline: a hung engine or a slow pull cannot block the caller.
     */
    public static Response call(String dockerHost, String method, String path, Duration timeout) throws IOException {
        long deadline = System.nanoTime() + timeout.toNanos();
        SocketAddress address;
        SocketChannel ch;
        if (dockerHost.startsWith("unix://")) {
            address = UnixDomainSocketAddress.of(Path.of(dockerHost.substring("unix://".length())));
            ch = SocketChannel.open(StandardProtocolFamily.UNIX);
        } else if (dockerHost.startsWith("tcp://")) {
            URI uri = URI.create(dockerHost);
            address = new InetSocketAddress(uri.getHost(), uri.getPort() < 0 ? 2375 : uri.getPort());
            ch = SocketChannel.open();
        } else {
            throw new IOException("DOCKER_HOST=" + dockerHost + " is neither unix:// nor tcp://");
        }
        try (ch; Selector selector = Selector.open()) {
            ch.configureBlocking(false);
            SelectionKey key = ch.register(selector, SelectionKey.OP_CONNECT);
            if (!ch.connect(address)) {
                await(selector, deadline);
                ch.finishConnect();
            }
            ByteBuffer request = ByteBuffer.wrap((method + " " + path + " HTTP/1.0\r\nHost: docker\r\n"
                    + (method.equals("POST") ? "Content-Length: 0\r\n" : "") + "\r\n").getBytes(StandardCharsets.US_ASCII));
            key.interestOps(SelectionKey.OP_WRITE);
            while (request.hasRemaining()) {
                await(selector, deadline);
                ch.write(request);
            }
            key.interestOps(SelectionKey.OP_READ);
            ByteArrayOutputStream answer = new ByteArrayOutputStream();
            ByteBuffer buf = ByteBuffer.allocate(8192);
            while (true) {
                await(selector, deadline);
                int n = ch.read(buf);
                if (n < 0) {
                    break;
                }
                answer.write(buf.array(), 0, buf.position());
                buf.clear();
            }
            return parse(answer.toString(StandardCharsets.UTF_8));
        }
    }

    private static void await(Selector selector, long deadline) throws IOException {
        while (true) {
            long left = (deadline - System.nanoTime()) / 1_000_000;
            if (left <= 0) {
                throw new SocketTimeoutException("no answer in time");
            }
            if (selector.select(left) > 0) {
                selector.selectedKeys().clear();
                return;
            }
        }
    }

    private static Response parse(String raw) throws IOException {
        if (!raw.startsWith("HTTP/1.")) {
            throw new IOException("not an HTTP answer");
        }
        int space = raw.indexOf(' ');
        int status = Integer.parseInt(raw.substring(space + 1, space + 4));
        int body = raw.indexOf("\r\n\r\n");
        return new Response(status, body < 0 ? "" : raw.substring(body + 4));
    }
}
