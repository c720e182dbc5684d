package org.datalayerlab.lab.net;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.Arrays;

/** A client socket through a link to an echo server, and one small echo: shared by the link tests. */
final class EchoSockets {

    private EchoSockets() {
    }

    static Socket connect(NetworkLink link) throws IOException {
        Socket s = new Socket();
        s.setTcpNoDelay(true);
        s.connect(new InetSocketAddress(link.host(), link.port()), 2000);
        s.setSoTimeout(10_000);
        return s;
    }

    /** Sends 64 bytes and waits until all 64 came back. */
    static void echoOnce(Socket s) throws IOException {
        byte[] msg = new byte[64];
        Arrays.fill(msg, (byte) 'x');
        s.getOutputStream().write(msg);
        readFully(s.getInputStream(), msg.length);
    }

    static byte[] readFully(InputStream in, int length) throws IOException {
        byte[] buffer = new byte[length];
        int off = 0;
        while (off < length) {
            int n = in.read(buffer, off, length - off);
            if (n < 0) {
                throw new IOException("stream ended after " + off + " of " + length + " bytes");
            }
            off += n;
        }
        return buffer;
    }
}
