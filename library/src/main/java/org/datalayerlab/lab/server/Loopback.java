package org.datalayerlab.lab.server;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import org.datalayerlab.lab.LabException;

/** 127.0.0.1, the only address a lab's servers, containers and proxies listen on. */
public final class Loopback {

    public static final String HOST = "127.0.0.1";

    private Loopback() {
    }

    /** A TCP port free on 127.0.0.1 right now (another program may still take it before it is bound). */
    public static int freePort() {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName(HOST))) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new LabException("no free TCP port on " + HOST + ": " + e.getMessage(), e);
        }
    }
}
