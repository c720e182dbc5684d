package org.datalayerlab.lab.net;

/**
 * Makes {@link NetworkLink}s. {@link #inJvm} is a TCP proxy inside this JVM, usable on any
 * machine (no Docker, no root, no netem).
 */
public final class NetworkLinks {

    private NetworkLinks() {
    }

    /**
     * Starts an in-JVM TCP proxy on 127.0.0.1 (ephemeral port) in front of
     * {@code targetHost:targetPort}. It starts healthy: no delay, no cap, no partition.
     */
    public static NetworkLink inJvm(String targetHost, int targetPort) {
        check(targetHost, targetPort);
        return new InJvmLink(targetHost, targetPort);
    }

    /**
     * The same with its jitter drawn from {@code seed}: the same traffic through two links of the
     * same seed gets the same delays, connection by connection, however the connections interleave.
     */
    public static NetworkLink inJvm(String targetHost, int targetPort, long seed) {
        check(targetHost, targetPort);
        return new InJvmLink(targetHost, targetPort, seed);
    }

    private static void check(String targetHost, int targetPort) {
        if (targetHost == null || targetHost.isBlank()) {
            throw new IllegalArgumentException("targetHost is empty: pass the server's host, e.g. \"127.0.0.1\"");
        }
        if (targetPort < 1 || targetPort > 65535) {
            throw new IllegalArgumentException("targetPort " + targetPort + " is not a TCP port (1..65535)");
        }
    }
}
