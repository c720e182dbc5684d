package org.datalayerlab.lab;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import redis.clients.jedis.Jedis;
import redis.embedded.RedisServer;

/**
 * An embedded Redis server (a real redis-server process from the com.github.codemonstur:embedded-redis
 * jar) on 127.0.0.1, without persistence: a cache, not a system of record. Stopped with its lab.
 */
public final class Redis implements AutoCloseable {

    private final RedisServer server;
    private final int port;

    private Redis(RedisServer server, int port) {
        this.server = server;
        this.port = port;
    }

    static Redis start() {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            port = s.getLocalPort();
        } catch (IOException e) {
            throw new LabException("no free port for Redis: " + e.getMessage(), e);
        }
        try {
            RedisServer server = RedisServer.newRedisServer()
                    .bind("127.0.0.1")
                    .port(port)
                    .setting("save \"\"")
                    .setting("appendonly no")
                    .soutListener(line -> { })
                    .serrListener(line -> { })
                    .build();
            server.start();
            return new Redis(server, port);
        } catch (IOException | RuntimeException e) {
            throw new LabException("could not start embedded Redis: " + e.getMessage(), e);
        }
    }

    public String host() {
        return "127.0.0.1";
    }

    public int port() {
        return port;
    }

    /** A new Jedis client (close it, or let the lab's close stop the server under it). */
    public Jedis client() {
        return new Jedis(host(), port);
    }

    public boolean isRunning() {
        return server.isActive();
    }

    @Override
    public void close() {
        try {
            server.stop();
        } catch (IOException e) {
            throw new LabException("could not stop embedded Redis: " + e.getMessage(), e);
        }
    }
}
