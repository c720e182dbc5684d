package org.datalayerlab.lab.server;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.StandardProtocolFamily;
import java.net.URI;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Asks a Docker engine "are you there?" (GET /_ping) over its Unix socket or TCP, cheaply and
 * without Testcontainers, so choosing a backend costs milliseconds and prints nothing.
 */
public final class DockerProbe {

    /** The outcome: whether an engine answered, and where we looked. */
    public record Result(boolean reachable, String where) {
    }

    private DockerProbe() {
    }

    /** Checks DOCKER_HOST if set, else the usual socket paths (system, rootless, Docker Desktop). */
    public static Result probe(Map<String, String> env) {
        List<String> tried = new ArrayList<>();
        String dockerHost = env.get("DOCKER_HOST");
        if (dockerHost != null && !dockerHost.isBlank()) {
            boolean ok = ping(dockerHost.trim());
            return new Result(ok, "DOCKER_HOST=" + dockerHost.trim());
        }
        List<String> sockets = new ArrayList<>(List.of("/var/run/docker.sock"));
        if (env.get("XDG_RUNTIME_DIR") != null) {
            sockets.add(env.get("XDG_RUNTIME_DIR") + "/docker.sock");
        }
        if (env.get("HOME") != null) {
            sockets.add(env.get("HOME") + "/.docker/run/docker.sock");
        }
        for (String s : sockets) {
            if (Files.exists(Path.of(s))) {
                if (ping("unix://" + s)) {
                    return new Result(true, s);
                }
                tried.add(s + " (no answer)");
            } else {
                tried.add(s + " (absent)");
            }
        }
        return new Result(false, String.join(", ", tried));
    }

    /** True if the engine at {@code unix:///path} or {@code tcp://host:port} answers /_ping with 200. */
    static boolean ping(String dockerHost) {
        String request = "GET /_ping HTTP/1.0\r\nHost: docker\r\n\r\n";
        try {
            if (dockerHost.startsWith("unix://")) {
                Path socket = Path.of(dockerHost.substring("unix://".length()));
                if (!Files.exists(socket)) {
                    return false;
                }
                try (SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX)) {
                    ch.connect(UnixDomainSocketAddress.of(socket));
                    ch.write(ByteBuffer.wrap(request.getBytes(StandardCharsets.US_ASCII)));
                    ByteBuffer buf = ByteBuffer.allocate(64);
                    // the engine answers at once; a Unix socket read has no timeout, so a hung engine is rare but possible
                    ch.read(buf);
                    return new String(buf.array(), 0, buf.position(), StandardCharsets.US_ASCII).startsWith("HTTP/1.") &&
                            new String(buf.array(), 0, buf.position(), StandardCharsets.US_ASCII).contains(" 200");
                }
            }
            if (dockerHost.startsWith("tcp://")) {
                URI uri = URI.create(dockerHost);
                try (Socket s = new Socket()) {
                    s.connect(new InetSocketAddress(uri.getHost(), uri.getPort() < 0 ? 2375 : uri.getPort()), 1000);
                    s.setSoTimeout(1000);
                    s.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
                    InputStream in = s.getInputStream();
                    byte[] head = in.readNBytes(12);
                    return new String(head, StandardCharsets.US_ASCII).contains(" 200");
                }
            }
            return false;
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }
}
