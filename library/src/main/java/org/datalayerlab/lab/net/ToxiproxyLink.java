package org.datalayerlab.lab.net;

import eu.rekawek.toxiproxy.Proxy;
import eu.rekawek.toxiproxy.model.ToxicDirection;
import java.io.IOException;
import java.time.Duration;
import org.datalayerlab.lab.LabException;

/** A {@link NetworkLink} on a Toxiproxy proxy (the containers backend's links); {@link InJvmLink} is the other kind. */
public final class ToxiproxyLink implements NetworkLink {
    private final Proxy proxy;
    private final String host;
    private final int port;

    /** A link on an existing proxy, reached by clients at {@code host:port}. */
    public ToxiproxyLink(Proxy proxy, String host, int port) {
        this.proxy = proxy;
        this.host = host;
        this.port = port;
    }

    @Override
    public String host() {
        return host;
    }

    @Override
    public int port() {
        return port;
    }

    @Override
    public NetworkLink delay(Duration roundTrip, Duration jitter) {
        try {
            removeToxic("lab-latency-up");
            removeToxic("lab-latency-down");
            if (!roundTrip.isZero() || !jitter.isZero()) {
                // half each way, as the interface promises; jitter split the same way
                long half = roundTrip.toMillis() / 2;
                proxy.toxics().latency("lab-latency-up", ToxicDirection.UPSTREAM, half).setJitter(jitter.toMillis() / 2);
                proxy.toxics().latency("lab-latency-down", ToxicDirection.DOWNSTREAM, roundTrip.toMillis() - half)
                        .setJitter(jitter.toMillis() - jitter.toMillis() / 2);
            }
            return this;
        } catch (IOException e) {
            throw new LabException("Toxiproxy: " + e.getMessage(), e);
        }
    }

    @Override
    public NetworkLink bandwidth(long bytesPerSecond) {
        try {
            removeToxic("lab-bandwidth-up");
            removeToxic("lab-bandwidth-down");
            if (bytesPerSecond > 0) {
                long kb = Math.max(1, bytesPerSecond / 1024);
                proxy.toxics().bandwidth("lab-bandwidth-up", ToxicDirection.UPSTREAM, kb);
                proxy.toxics().bandwidth("lab-bandwidth-down", ToxicDirection.DOWNSTREAM, kb);
            }
            return this;
        } catch (IOException e) {
            throw new LabException("Toxiproxy: " + e.getMessage(), e);
        }
    }

    @Override
    public NetworkLink partition(Partition mode) {
        try {
            removeToxic("lab-drop-up");
            removeToxic("lab-drop-down");
            proxy.enable();
            switch (mode) {
                case NONE -> { }
                // a timeout toxic with timeout 0 swallows the data and keeps the connection open
                case DROP -> {
                    proxy.toxics().timeout("lab-drop-up", ToxicDirection.UPSTREAM, 0);
                    proxy.toxics().timeout("lab-drop-down", ToxicDirection.DOWNSTREAM, 0);
                }
                // a disabled proxy closes its connections and refuses new ones
                case RESET -> proxy.disable();
            }
            return this;
        } catch (IOException e) {
            throw new LabException("Toxiproxy: " + e.getMessage(), e);
        }
    }

    private void removeToxic(String name) throws IOException {
        if (proxy.toxics().getAll().stream().anyMatch(t -> t.getName().equals(name))) {
            proxy.toxics().get(name).remove();
        }
    }

    @Override
    public void close() {
        try {
            proxy.delete();
        } catch (IOException e) {
            // the container goes with the lab anyway
        }
    }
}
