package org.datalayerlab.lab.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.datalayerlab.lab.Cluster;
import org.datalayerlab.lab.Lab;
import org.datalayerlab.lab.LabException;
import org.datalayerlab.lab.server.DockerProbe;

/**
 * Embedded vs containers, side by side in one JVM: server start, a primary with two streaming
 * replicas, and promote (with the other replica re-pointed), in interleaved rounds so both
 * backends see the same machine load. Prints medians, min and max and the ratio; asserts nothing.
 * Needs a Docker engine with LAB_POSTGRES_IMAGE ({@code ./lab bench backends} starts one and builds the image).
 *
 * <pre>mvn -q -pl library test-compile exec:java -Dexec.classpathScope=test -Dexec.mainClass=org.datalayerlab.lab.bench.BackendBenchmark</pre>
 */
public final class BackendBenchmark {

    private static final List<String> BACKENDS = List.of("embedded", "containers");
    private static final List<String> MEASURES = List.of("start one server", "start primary + 2 replicas (streaming)",
            "promote a replica + re-point the other");

    public static void main(String[] args) {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 3;
        DockerProbe.Result d = DockerProbe.probe(System.getenv());
        if (!d.ready()) {
            throw new LabException("the containers side needs a Docker engine with the PostgreSQL image: "
                    + (d.reachable() ? d.problem() : "none answered (" + d.where() + ")"));
        }
        Map<String, Map<String, List<Double>>> ms = new LinkedHashMap<>();
        for (String b : BACKENDS) {
            ms.put(b, new LinkedHashMap<>());
            MEASURES.forEach(m -> ms.get(b).put(m, new ArrayList<>()));
            // the first start of each pays one-time costs (unpacking binaries; Testcontainers' set-up): not measured
            try (Lab warm = Lab.start(b)) {
                warm.postgres();
            }
        }
        for (int round = 0; round < rounds; round++) {
            for (String b : BACKENDS) {
                measure(b, ms.get(b));
            }
        }
        System.out.printf("%nEmbedded vs containers (%s), %d interleaved rounds, medians (min-max) in ms%n", d.image(), rounds);
        System.out.printf("%-42s %22s %22s %8s%n", "", "embedded", "containers", "ratio");
        for (String m : MEASURES) {
            double e = median(ms.get("embedded").get(m));
            double c = median(ms.get("containers").get(m));
            System.out.printf("%-42s %22s %22s %7.1fx%n", m, cell(ms.get("embedded").get(m)), cell(ms.get("containers").get(m)), c / e);
        }
    }

    private static void measure(String backend, Map<String, List<Double>> into) {
        try (Lab lab = Lab.start(backend)) {
            long a = System.nanoTime();
            lab.postgres();
            into.get(MEASURES.get(0)).add(ms(System.nanoTime() - a));
            long b = System.nanoTime();
            Cluster c = lab.cluster(2);
            into.get(MEASURES.get(1)).add(ms(System.nanoTime() - b));
            c.primary().execute("create table t(id int); insert into t select generate_series(1, 1000)");
            c.awaitReplicas(Duration.ofSeconds(30));
            long p = System.nanoTime();
            c.promote(c.replica(0));
            into.get(MEASURES.get(2)).add(ms(System.nanoTime() - p));
        }
    }

    private static double ms(long nanos) {
        return nanos / 1e6;
    }

    private static double median(List<Double> v) {
        return v.stream().sorted().toList().get(v.size() / 2);
    }

    private static String cell(List<Double> v) {
        List<Double> s = v.stream().sorted().toList();
        return String.format("%.0f (%.0f-%.0f)", median(v), s.get(0), s.get(s.size() - 1));
    }
}
