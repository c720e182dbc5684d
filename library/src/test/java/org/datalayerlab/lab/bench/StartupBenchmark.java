package org.datalayerlab.lab.bench;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.datalayerlab.lab.Cluster;
import org.datalayerlab.lab.Lab;
import org.datalayerlab.lab.Postgres;

/**
 * Prints how long the embedded backend takes to start one server, a primary with two replicas,
 * and to promote a replica (median, min and max over several runs). Asserts nothing.
 *
 * <pre>mvn -q -pl lab test-compile exec:java -Dexec.classpathScope=test -Dexec.mainClass=org.datalayerlab.lab.bench.StartupBenchmark</pre>
 */
public final class StartupBenchmark {

    public static void main(String[] args) {
        int runs = args.length > 0 ? Integer.parseInt(args[0]) : 5;
        long t0 = System.nanoTime();
        try (Lab warm = Lab.start("embedded")) {
            warm.postgres();
        }
        System.out.printf("first lab in this JVM (unpack if needed + initdb template + 1 server): %.0f ms%n", ms(System.nanoTime() - t0));

        List<Double> single = new ArrayList<>();
        List<Double> cluster = new ArrayList<>();
        List<Double> promote = new ArrayList<>();
        List<Double> close = new ArrayList<>();
        for (int i = 0; i < runs; i++) {
            try (Lab lab = Lab.start("embedded")) {
                long a = System.nanoTime();
                lab.postgres();
                single.add(ms(System.nanoTime() - a));
            }
            Lab lab = Lab.start("embedded");
            long b = System.nanoTime();
            Cluster c = lab.cluster(2);
            cluster.add(ms(System.nanoTime() - b));
            c.primary().execute("create table t(id int); insert into t select generate_series(1, 1000)");
            c.awaitReplicas(java.time.Duration.ofSeconds(30));
            Postgres target = c.replica(0);
            long p = System.nanoTime();
            c.promote(target); // includes re-pointing replica2 and waiting until it streams again
            promote.add(ms(System.nanoTime() - p));
            long d = System.nanoTime();
            lab.close();
            close.add(ms(System.nanoTime() - d));
        }
        report("start one server", single);
        report("start primary + 2 replicas (streaming)", cluster);
        report("promote a replica + re-point the other", promote);
        report("close a 3-server lab (stop + delete files)", close);
    }

    private static double ms(long nanos) {
        return nanos / 1e6;
    }

    private static void report(String what, List<Double> ms) {
        double[] v = ms.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        System.out.printf("%-45s median %6.0f ms   min %6.0f   max %6.0f   (n=%d)%n", what, v[v.length / 2], v[0], v[v.length - 1], v.length);
        Arrays.fill(v, 0);
    }
}
