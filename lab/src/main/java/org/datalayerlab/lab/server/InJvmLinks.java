package org.datalayerlab.lab.server;

import java.lang.reflect.Method;
import org.datalayerlab.lab.LabException;
import org.datalayerlab.lab.net.NetworkLink;

/**
 * Opens the in-JVM proxy of org.datalayerlab.lab.net (built on another branch) without a
 * compile-time dependency on it yet. Once both branches are merged this can become a plain
 * call to {@code NetworkLinks.inJvm(host, port)}.
 */
final class InJvmLinks {

    private InJvmLinks() {
    }

    static NetworkLink open(String host, int port) {
        try {
            Class<?> links = Class.forName("org.datalayerlab.lab.net.NetworkLinks");
            Method inJvm = links.getMethod("inJvm", String.class, int.class);
            return (NetworkLink) inJvm.invoke(null, host, port);
        } catch (ClassNotFoundException | NoSuchMethodException e) {
            throw new LabException("the in-JVM network proxy (org.datalayerlab.lab.net.NetworkLinks.inJvm) is not"
                    + " in this build of the lab library", e);
        } catch (ReflectiveOperationException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            throw new LabException("could not open a proxy to " + host + ":" + port + ": " + cause.getMessage(), cause);
        }
    }
}
