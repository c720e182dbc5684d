package org.datalayerlab.lab.server;

import org.datalayerlab.lab.Cluster;
import org.datalayerlab.lab.ClusterSpec;
import org.datalayerlab.lab.Postgres;
import org.datalayerlab.lab.Settings;
import org.datalayerlab.lab.net.NetworkLink;

/** Where a lab's servers come from: embedded processes, containers, or servers the user runs. */
public interface Backend extends AutoCloseable {

    /** embedded, containers or external. */
    String name();

    /** A new running server (for external: the next configured one). */
    Postgres postgres(String name, Settings settings);

    /** A primary with streaming replicas, running. */
    Cluster cluster(String name, ClusterSpec spec);

    /** A TCP path to {@code target} that a lesson can delay, throttle or cut. */
    NetworkLink link(Postgres target);

    /** What {@link #link} puts on the path, for the line a lab prints when it starts. */
    default String linkKind() {
        return "the in-JVM TCP proxy";
    }

    /** Stops every server this backend started and removes its files. */
    @Override
    void close();
}
