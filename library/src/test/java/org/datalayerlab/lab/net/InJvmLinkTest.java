package org.datalayerlab.lab.net;

import org.datalayerlab.lab.net.NetworkLink.Partition;
import org.datalayerlab.lab.testsupport.TestPostgres;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import static org.datalayerlab.lab.net.EchoSockets.connect;
import static org.datalayerlab.lab.net.EchoSockets.echoOnce;
import static org.datalayerlab.lab.net.EchoSockets.readFully;

import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class InJvmLinkTest {

    private EchoServer echo;
    private NetworkLink link;

    @BeforeEach
    void start() throws IOException {
        echo = new EchoServer();
        link = NetworkLinks.inJvm("127.0.0.1", echo.port());
    }

    @AfterEach
    void stop() throws IOException {
        link.close();
        echo.close();
    }

    @Test
    void listensOnLoopbackOnly() {
        assertEquals("127.0.0.1", link.host());
        assertTrue(link.port() > 0);
    }

    @Test
    void rejectsBadArguments() {
        assertThrows(IllegalArgumentException.class, () -> NetworkLinks.inJvm("", 5432));
        assertThrows(IllegalArgumentException.class, () -> NetworkLinks.inJvm("127.0.0.1", 0));
        assertThrows(IllegalArgumentException.class, () -> link.delay(Duration.ofMillis(-1), Duration.ZERO));
    }

    @Test
    void echoRoundTripMatchesConfiguredDelay() throws IOException {
        try (Socket s = connect(link)) {
            for (int delayMs : new int[] {5, 20, 50}) {
                link.delay(Duration.ofMillis(delayMs), Duration.ZERO);
                double fastest = fastestEchoMillis(s, delayMs >= 50 ? 15 : 31);
                assertAddsDelay(delayMs, 0, fastest, "echo round trip");
            }
        }
    }

    @Test
    void jdbcSelectOneRoundTripMatchesConfiguredDelay() throws SQLException {
        try (NetworkLink pgLink = NetworkLinks.inJvm("127.0.0.1", TestPostgres.port());
             Connection c = DriverManager.getConnection(TestPostgres.jdbcUrl(pgLink.host(), pgLink.port()));
             Statement st = c.createStatement()) {
            double baseline = fastestSelectOneMillis(st, 31);
            for (int delayMs : new int[] {5, 10, 30}) {
                pgLink.delay(Duration.ofMillis(delayMs), Duration.ZERO);
                double fastest = fastestSelectOneMillis(st, delayMs >= 30 ? 15 : 31);
                assertAddsDelay(delayMs, baseline, fastest, "SELECT 1 (fastest without delay " + baseline + " ms)");
            }
        }
    }

    @Test
    void eachLinkDrawsItsOwnJitter() {
        try (InJvmLink a = (InJvmLink) NetworkLinks.inJvm("127.0.0.1", echo.port());
             InJvmLink b = (InJvmLink) NetworkLinks.inJvm("127.0.0.1", echo.port())) {
            java.util.SplittableRandom ja = a.jitterStream(1);
            java.util.SplittableRandom jb = b.jitterStream(1);
            int same = 0;
            for (int i = 0; i < 100; i++) {
                long da = (long) (ja.nextDouble() * 10_000_000);
                long db = (long) (jb.nextDouble() * 10_000_000);
                same += da == db ? 1 : 0;
            }
            assertTrue(same < 5, "two links drew the same jitter " + same + " times out of 100: their streams are not independent");
        }
    }

    @Test
    void jitterAddsUpToItsAmountAndKeepsByteOrder() throws Exception {
        link.delay(Duration.ofMillis(10), Duration.ofMillis(10));
        try (Socket s = connect(link)) {
            double[] sorted = echoMillis(s, 31);
            // round trip = 10 ms + U(0, 10 ms): the fastest tenth about 11 ms, and a spread of
            // several milliseconds between the fastest and slowest tenth (without jitter, well under 1)
            double fastest = sorted[sorted.length / 10];
            double spread = sorted[sorted.length * 9 / 10] - fastest;
            assertTrue(fastest >= 9.5 && fastest <= 14, "fastest tenth with jitter was " + fastest + " ms");
            assertTrue(spread >= 4, "jitter spread (90th - 10th percentile) was only " + spread + " ms");

            // Stream 1 MB written in many small pieces: every byte must come back in order.
            byte[] sent = new byte[1 << 20];
            new Random(7).nextBytes(sent);
            Future<byte[]> received = Executors.newSingleThreadExecutor().submit(() -> readFully(s.getInputStream(), sent.length));
            OutputStream out = s.getOutputStream();
            for (int off = 0; off < sent.length; off += 1000) {
                out.write(sent, off, Math.min(1000, sent.length - off));
            }
            assertArrayEquals(sent, received.get(20, TimeUnit.SECONDS));
        }
    }

    @Test
    void connectionsAreDelayedInParallelNotOneAfterAnother() throws Exception {
        link.delay(Duration.ofMillis(20), Duration.ZERO);
        int clients = 6;
        int roundTrips = 10;
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        try {
            List<Socket> sockets = new ArrayList<>();
            for (int i = 0; i < clients; i++) {
                Socket s = connect(link);
                echoOnce(s); // connection set up before timing
                sockets.add(s);
            }
            long start = System.nanoTime();
            List<Future<?>> done = new ArrayList<>();
            for (Socket s : sockets) {
                done.add(pool.submit(() -> {
                    for (int i = 0; i < roundTrips; i++) {
                        echoOnce(s);
                    }
                    return null;
                }));
            }
            for (Future<?> f : done) {
                f.get(30, TimeUnit.SECONDS);
            }
            double wallMs = (System.nanoTime() - start) / 1e6;
            // In parallel: about 10 x 20 ms = 200 ms. One after another would be 6 x 200 = 1200 ms.
            assertTrue(wallMs < 600, "6 clients x 10 round trips of 20 ms took " + wallMs + " ms");
            for (Socket s : sockets) {
                s.close();
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void delayChangesWhileTrafficFlows() throws IOException {
        try (Socket s = connect(link)) {
            assertTrue(fastestEchoMillis(s, 11) < 3);
            link.delay(Duration.ofMillis(20), Duration.ZERO);
            assertAddsDelay(20, 0, fastestEchoMillis(s, 11), "after raising the delay");
            link.delay(Duration.ZERO, Duration.ZERO);
            assertTrue(fastestEchoMillis(s, 11) < 3, "delay removed");
        }
    }

    @Test
    void bandwidthCapIsMeasured() throws Exception {
        long cap = 400_000; // bytes per second, each direction
        link.bandwidth(cap);
        try (Socket s = connect(link)) {
            byte[] sent = new byte[400_000];
            new Random(3).nextBytes(sent);
            // Both directions are capped and pipelined, so the echo arrives at about the cap. A busy
            // CPU can only slow a transfer down, so the best of three tries is compared with the cap.
            double rate = 0;
            for (int attempt = 0; attempt < 3; attempt++) {
                long start = System.nanoTime();
                Future<byte[]> received = Executors.newSingleThreadExecutor().submit(() -> readFully(s.getInputStream(), sent.length));
                s.getOutputStream().write(sent);
                byte[] back = received.get(20, TimeUnit.SECONDS);
                assertArrayEquals(sent, back);
                rate = Math.max(rate, sent.length / ((System.nanoTime() - start) / 1e9));
            }
            assertTrue(rate > cap * 0.7 && rate < cap * 1.2, "best of 3: " + Math.round(rate) + " B/s for a cap of " + cap);

            link.bandwidth(0);
            long t0 = System.nanoTime();
            Future<byte[]> again = Executors.newSingleThreadExecutor().submit(() -> readFully(s.getInputStream(), sent.length));
            s.getOutputStream().write(sent);
            again.get(20, TimeUnit.SECONDS);
            assertTrue((System.nanoTime() - t0) / 1e9 < 0.5, "cap removed: 400 kB should take well under a second");
        }
    }

    @Test
    void dropHangsResetFailsFastNoneHeals() throws Exception {
        try (NetworkLink pgLink = NetworkLinks.inJvm("127.0.0.1", TestPostgres.port())) {
            String url = TestPostgres.jdbcUrl(pgLink.host(), pgLink.port()) + "&socketTimeout=1&connectTimeout=2";
            AtomicBoolean running = new AtomicBoolean(true);
            AtomicInteger okQueries = new AtomicInteger();
            // Traffic flows on another connection the whole time.
            Thread traffic = new Thread(() -> {
                while (running.get()) {
                    try (Connection c = DriverManager.getConnection(url); Statement st = c.createStatement()) {
                        while (running.get()) {
                            st.executeQuery("SELECT 1").close();
                            okQueries.incrementAndGet();
                        }
                    } catch (SQLException e) {
                        sleep(20);
                    }
                }
            });
            traffic.setDaemon(true);
            traffic.start();

            try (Connection c = DriverManager.getConnection(url); Statement st = c.createStatement()) {
                st.executeQuery("SELECT 1").close();

                pgLink.partition(Partition.DROP);
                long t0 = System.nanoTime();
                assertThrows(SQLException.class, () -> st.executeQuery("SELECT 1"));
                double hungMs = (System.nanoTime() - t0) / 1e6;
                assertTrue(hungMs >= 900, "DROP should hang until the 1 s socket timeout, failed after " + hungMs + " ms");
                int duringDrop = okQueries.get();
                sleep(300);
                assertEquals(duringDrop, okQueries.get(), "no query gets through a DROP partition");
            }

            pgLink.partition(Partition.NONE);
            waitUntil(() -> okQueries.get() > 0 && queriesProgress(okQueries), "traffic resumes after healing");
            try (Connection c = DriverManager.getConnection(url); Statement st = c.createStatement()) {
                st.executeQuery("SELECT 1").close();

                pgLink.partition(Partition.RESET);
                long t0 = System.nanoTime();
                assertThrows(SQLException.class, () -> st.executeQuery("SELECT 1"));
                double failedMs = (System.nanoTime() - t0) / 1e6;
                assertTrue(failedMs < 500, "RESET should fail fast, took " + failedMs + " ms");
            }
            long t1 = System.nanoTime();
            assertThrows(SQLException.class, () -> DriverManager.getConnection(url));
            assertTrue((System.nanoTime() - t1) / 1e6 < 1000, "new connections fail fast under RESET");

            pgLink.partition(Partition.NONE);
            try (Connection c = DriverManager.getConnection(url); Statement st = c.createStatement();
                 ResultSet rs = st.executeQuery("SELECT 1")) {
                assertTrue(rs.next());
            }
            waitUntil(() -> queriesProgress(okQueries), "traffic resumes after RESET is healed");
            running.set(false);
            traffic.join(5000);
        }
    }

    @Test
    void closeClosesConnectionsAndListener() throws Exception {
        List<Socket> sockets = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            Socket s = connect(link);
            echoOnce(s);
            sockets.add(s);
        }
        assertEquals(3, ((InJvmLink) link).openConnections());
        link.close();
        for (Socket s : sockets) {
            s.setSoTimeout(2000);
            int r;
            try {
                r = s.getInputStream().read();
            } catch (IOException e) {
                r = -1;
            }
            assertEquals(-1, r, "a proxied connection is closed when the link closes");
            s.close();
        }
        assertEquals(0, ((InJvmLink) link).openConnections());
        // not "connect fails": on a busy machine another process may take the freed port at once
        assertFalse(((InJvmLink) link).isListening(), "the listener is closed");
        String prefix = "lab-link-" + link.port() + "-";
        waitUntil(() -> Thread.getAllStackTraces().keySet().stream().noneMatch(t -> t.getName().startsWith(prefix)),
                "every proxy thread ends");
    }

    // ---- helpers ----




    private static double fastestEchoMillis(Socket s, int samples) throws IOException {
        double[] sorted = echoMillis(s, samples);
        return sorted[sorted.length / 10];
    }

    /** Round trips of a small echo, in milliseconds, sorted. */
    private static double[] echoMillis(Socket s, int samples) throws IOException {
        echoOnce(s); // warm-up
        double[] ms = new double[samples];
        for (int i = 0; i < samples; i++) {
            long t0 = System.nanoTime();
            echoOnce(s);
            ms[i] = (System.nanoTime() - t0) / 1e6;
        }
        Arrays.sort(ms);
        return ms;
    }

    private static double fastestSelectOneMillis(Statement st, int samples) throws SQLException {
        for (int i = 0; i < 3; i++) {
            st.executeQuery("SELECT 1").close(); // warm-up
        }
        double[] ms = new double[samples];
        for (int i = 0; i < samples; i++) {
            long t0 = System.nanoTime();
            st.executeQuery("SELECT 1").close();
            ms[i] = (System.nanoTime() - t0) / 1e6;
        }
        return fastestTenth(ms);
    }

    /**
     * The 10th percentile: a busy CPU only ever adds to a round trip (late wake-ups, queued
     * threads), so the fastest tries show what the link itself adds; the median shows the machine.
     */
    private static double fastestTenth(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[sorted.length / 10];
    }

    /** The link adds at least its delay (a floor it must never undercut) and, on the fastest tries, at most 20% more. */
    private static void assertAddsDelay(double delayMs, double withoutMs, double fastestMs, String what) {
        double low = delayMs * 0.95;
        double high = withoutMs + delayMs * 1.2;
        assertTrue(fastestMs >= low && fastestMs <= high,
                what + ": fastest tenth " + fastestMs + " ms, configured " + delayMs + " ms (allowed " + low + " to " + high + " ms)");
    }

    private static boolean queriesProgress(AtomicInteger counter) {
        int before = counter.get();
        sleep(200);
        return counter.get() > before;
    }

    private static void waitUntil(java.util.function.BooleanSupplier condition, String what) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting: " + what);
            }
            sleep(50);
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
