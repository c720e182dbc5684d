package org.datalayerlab.lab.server;

import org.datalayerlab.lab.Cluster;
import org.datalayerlab.lab.Lab;
import org.datalayerlab.lab.Postgres;

/**
 * Run in a child JVM by {@link NothingLeftBehindTest} (and, with argument "containers", by
 * ContainersLeftBehindTest): starts a cluster, reports its JVM id and server pids, waits to be killed.
 */
public final class ChildLabMain {

    public static void main(String[] args) throws Exception {
        Lab lab = Lab.start(args.length > 0 ? args[0] : "embedded");
        Cluster c = lab.cluster(2);
        StringBuilder pids = new StringBuilder();
        for (Postgres p : c.servers()) {
            pids.append(' ').append(p.pid());
        }
        System.out.println("JVM " + Reaper.jvmId());
        System.out.println("READY " + Reaper.jvmDir() + pids);
        System.out.flush();
        Thread.sleep(600_000);
    }
}
