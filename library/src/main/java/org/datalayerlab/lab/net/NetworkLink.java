package org.datalayerlab.lab.net;

import java.time.Duration;

/**
 * A network path between clients and one server that a lesson can degrade while traffic
 * flows: added round-trip delay, a bandwidth cap, a partition. Clients connect to
 * {@link #host()}:{@link #port()} instead of the server. Backed by an in-JVM TCP proxy on the
 * embedded and external backends and by Toxiproxy on the containers backend.
 */
public interface NetworkLink extends AutoCloseable {

    /** Where clients connect instead of the server. */
    String host();

    int port();

    /**
     * Adds {@code roundTrip} to every request/response round trip (half on the way there, half
     * on the way back), plus a uniformly random extra of up to {@code jitter}. Zero removes it.
     */
    NetworkLink delay(Duration roundTrip, Duration jitter);

    /** Caps throughput in each direction; {@code bytesPerSecond <= 0} removes the cap. */
    NetworkLink bandwidth(long bytesPerSecond);

    /** Cuts the path ({@link Partition#DROP} or {@link Partition#RESET}) or heals it ({@link Partition#NONE}). */
    NetworkLink partition(Partition mode);

    /** Stops the proxy and closes every connection through it. */
    @Override
    void close();

    enum Partition {
        /** Traffic flows. */
        NONE,
        /** Bytes are silently discarded both ways: clients hang until their own timeouts fire. */
        DROP,
        /** Open connections are reset and new ones refused: clients fail fast. */
        RESET
    }
}
