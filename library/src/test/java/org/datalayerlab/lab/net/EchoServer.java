package org.datalayerlab.lab.net;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;

/** A TCP echo server on 127.0.0.1 for proxy tests: every byte read is written back. */
final class EchoServer implements AutoCloseable {

    private final ServerSocket listener;

    EchoServer() throws IOException {
        listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread t = new Thread(this::acceptLoop, "echo-accept");
        t.setDaemon(true);
        t.start();
    }

    int port() {
        return listener.getLocalPort();
    }

    private void acceptLoop() {
        while (true) {
            try {
                Socket s = listener.accept();
                s.setTcpNoDelay(true);
                Thread t = new Thread(() -> echo(s), "echo-conn");
                t.setDaemon(true);
                t.start();
            } catch (IOException e) {
                return;
            }
        }
    }

    private static void echo(Socket s) {
        try (s; InputStream in = s.getInputStream(); OutputStream out = s.getOutputStream()) {
            byte[] buffer = new byte[8192];
            int n;
            while ((n = in.read(buffer)) >= 0) {
                out.write(buffer, 0, n);
            }
        } catch (IOException ignored) {
            // peer went away
        }
    }

    @Override
    public void close() throws IOException {
        listener.close();
    }
}
