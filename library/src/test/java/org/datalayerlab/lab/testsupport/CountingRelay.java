package org.datalayerlab.lab.testsupport;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A plain TCP relay on 127.0.0.1 in front of a real server that counts the writes clients send
 * through it: each query a JDBC client runs arrives as one write, so the count tells how often
 * a loop asked the server.
 */
public final class CountingRelay implements AutoCloseable {

    private final ServerSocket listener;
    private final String targetHost;
    private final int targetPort;
    private final AtomicLong clientWrites = new AtomicLong();

    public CountingRelay(String targetHost, int targetPort) throws IOException {
        this.targetHost = targetHost;
        this.targetPort = targetPort;
        listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        daemon(this::acceptLoop, "relay-accept");
    }

    public int port() {
        return listener.getLocalPort();
    }

    /** Writes clients sent since the start (or the last reset). */
    public long clientWrites() {
        return clientWrites.get();
    }

    public void reset() {
        clientWrites.set(0);
    }

    private void acceptLoop() {
        while (!listener.isClosed()) {
            try {
                Socket client = listener.accept();
                Socket server = new Socket(targetHost, targetPort);
                client.setTcpNoDelay(true);
                server.setTcpNoDelay(true);
                daemon(() -> pump(client, server, true), "relay-up");
                daemon(() -> pump(server, client, false), "relay-down");
            } catch (IOException e) {
                return;
            }
        }
    }

    private void pump(Socket from, Socket to, boolean count) {
        byte[] buffer = new byte[16 * 1024];
        try (from; to) {
            InputStream in = from.getInputStream();
            OutputStream out = to.getOutputStream();
            int n;
            while ((n = in.read(buffer)) > 0) {
                if (count) {
                    clientWrites.incrementAndGet();
                }
                out.write(buffer, 0, n);
            }
        } catch (IOException e) {
            // one side closed: close both
        }
    }

    private static void daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        t.start();
    }

    @Override
    public void close() throws IOException {
        listener.close();
    }
}
