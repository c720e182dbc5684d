package org.datalayerlab.lab.net;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.Arrays;
import java.util.Objects;
import java.util.SplittableRandom;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * The in-JVM TCP proxy behind {@link NetworkLinks#inJvm}. Each accepted connection gets two
 * directions; each direction has a reader thread that stamps every chunk it reads with the
 * time it is due and a writer thread that releases the chunks in order when they are due.
 * So a delay shifts every byte by the same amount without adding up per chunk, keeps byte
 * order within a connection, and never makes one connection wait for another.
 */
final class InJvmLink implements NetworkLink {

    private static final int CHUNK_BYTES = 16 * 1024;
    /** Chunks in flight per direction before the reader stops reading (TCP back-pressure). */
    private static final int QUEUE_CHUNKS = 256;
    private static final int CONNECT_TIMEOUT_MS = 5_000;

    private final String targetHost;
    private final int targetPort;
    private final ServerSocket listener;
    private final Set<Connection> connections = ConcurrentHashMap.newKeySet();
    private final AtomicInteger connectionIds = new AtomicInteger();
    /**
     * Seeds of the links' jitter streams: seeded so runs are repeatable, but one stream per link.
     * With one seed for all, links would draw the same jitter at the same moment, and a request
     * fanned out over several links would never meet one slow path among fast ones.
     */
    private static final AtomicLong JITTER_SEEDS = new AtomicLong(42);
    /** Each connection draws its jitter from its own stream, made from this seed and its number. */
    private final long seed;

    /** The delay as one value, so a reader sees one whole setting, never one new half and one old. */
    private record Delay(long requestNanos, long responseNanos, long jitterNanos) {
    }

    private volatile Delay delay = new Delay(0, 0, 0);
    private volatile long bytesPerSecond;
    private volatile Partition partition = Partition.NONE;
    private volatile boolean closed;

    InJvmLink(String targetHost, int targetPort) {
        this(targetHost, targetPort, JITTER_SEEDS.getAndIncrement());
    }

    InJvmLink(String targetHost, int targetPort, long seed) {
        this.seed = seed;
        this.targetHost = targetHost;
        this.targetPort = targetPort;
        try {
            listener = new ServerSocket(0, 128, InetAddress.getLoopbackAddress());
        } catch (IOException e) {
            throw new UncheckedIOException("could not open a listening socket on 127.0.0.1 for the proxy", e);
        }
        Thread acceptor = new Thread(this::acceptLoop, "lab-link-" + listener.getLocalPort() + "-accept");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    @Override
    public String host() {
        return listener.getInetAddress().getHostAddress();
    }

    @Override
    public int port() {
        return listener.getLocalPort();
    }

    @Override
    public NetworkLink delay(Duration roundTrip, Duration jitter) {
        Objects.requireNonNull(roundTrip, "roundTrip is null: pass Duration.ZERO for no delay");
        Objects.requireNonNull(jitter, "jitter is null: pass Duration.ZERO for no jitter");
        if (roundTrip.isNegative() || jitter.isNegative()) {
            throw new IllegalArgumentException("delay must not be negative: got roundTrip=" + roundTrip + ", jitter=" + jitter);
        }
        long total = roundTrip.toNanos();
        // Half of the round trip each way; the jitter rides on the response so that one
        // round trip gets exactly roundTrip + U(0, jitter).
        delay = new Delay(total - total / 2, total / 2, jitter.toNanos());
        return this;
    }

    @Override
    public NetworkLink bandwidth(long bytesPerSecond) {
        this.bytesPerSecond = Math.max(0, bytesPerSecond);
        return this;
    }

    @Override
    public NetworkLink partition(Partition mode) {
        Objects.requireNonNull(mode, "partition mode is null: use Partition.NONE to heal");
        partition = mode;
        if (mode == Partition.RESET) {
            for (Connection c : connections) {
                c.reset();
            }
        }
        return this;
    }

    @Override
    public void close() {
        closed = true;
        try {
            listener.close();
        } catch (IOException ignored) {
            // closing anyway
        }
        for (Connection c : connections) {
            c.abort();
        }
    }

    /** Number of client connections currently open through the proxy. */
    /** True once close() has released the listening port. */
    boolean isListening() {
        return !listener.isClosed();
    }

    int openConnections() {
        return connections.size();
    }

    @Override
    public String toString() {
        Delay d = delay;
        return "in-JVM link " + host() + ":" + port() + " -> " + targetHost + ":" + targetPort
                + " (round trip " + Duration.ofNanos(d.requestNanos() + d.responseNanos()).toMillis() + " ms"
                + ", jitter " + Duration.ofNanos(d.jitterNanos()).toMillis() + " ms"
                + ", bandwidth " + (bytesPerSecond > 0 ? bytesPerSecond + " B/s" : "unlimited")
                + ", partition " + partition + ")";
    }

    private void acceptLoop() {
        while (!closed) {
            Socket client;
            try {
                client = listener.accept();
            } catch (IOException e) {
                return; // listener closed
            }
            if (closed || partition == Partition.RESET) {
                resetQuietly(client);
                continue;
            }
            // numbered here, in the order clients connected, so a seeded run numbers them the same way
            int id = connectionIds.incrementAndGet();
            Thread t = new Thread(() -> connect(client, id), "lab-link-" + port() + "-connect");
            t.setDaemon(true);
            t.start();
        }
    }

    private void connect(Socket client, int id) {
        Socket server = new Socket();
        try {
            server.setTcpNoDelay(true);
            server.connect(new InetSocketAddress(targetHost, targetPort), CONNECT_TIMEOUT_MS);
            client.setTcpNoDelay(true);
        } catch (IOException e) {
            // The target is down: the client sees a reset, as it would see a refused connection.
            resetQuietly(client);
            closeQuietly(server);
            return;
        }
        Connection c = new Connection(id, client, server);
        connections.add(c);
        if (closed || partition == Partition.RESET) {
            c.reset();
            return;
        }
        c.start();
    }

    /** Connection {@code id}'s jitter stream: a function of the link's seed and the number alone (package-private for tests). */
    SplittableRandom jitterStream(int id) {
        return new SplittableRandom(seed * 0x9E3779B97F4A7C15L + id);
    }

    /**
     * The delay for a chunk read now: half the round trip, plus on the response a draw of up to
     * the jitter from {@code jitter}, which only that direction's reader thread uses.
     */
    private long delayNanos(boolean response, SplittableRandom jitter) {
        Delay d = delay;
        if (!response) {
            return d.requestNanos();
        }
        return d.responseNanos() + (d.jitterNanos() > 0 ? (long) (jitter.nextDouble() * d.jitterNanos()) : 0);
    }

    private static void resetQuietly(Socket s) {
        try {
            s.setSoLinger(true, 0); // close with RST, not FIN: the peer fails fast
        } catch (IOException ignored) {
            // closing anyway
        }
        closeQuietly(s);
    }

    private static void closeQuietly(Socket s) {
        try {
            s.close();
        } catch (IOException ignored) {
            // nothing left to do
        }
    }

    private static void sleepUntil(long dueNanos) throws InterruptedException {
        long remaining;
        while ((remaining = dueNanos - System.nanoTime()) > 0) {
            LockSupport.parkNanos(remaining);
            if (Thread.interrupted()) {
                throw new InterruptedException();
            }
        }
    }

    /** A chunk of bytes read from one side, due for delivery to the other at {@code dueNanos}. */
    private record Chunk(byte[] bytes, long dueNanos) {
        boolean isEndOfStream() {
            return bytes == null;
        }
    }

    /** One client connection: the client socket, the server socket, and a pump each way. */
    private final class Connection {
        private final int id;
        private final Socket client;
        private final Socket server;
        private final Direction request;
        private final Direction response;
        private final AtomicInteger directionsDone = new AtomicInteger();
        private volatile boolean aborted;

        Connection(int id, Socket client, Socket server) {
            this.id = id;
            this.client = client;
            this.server = server;
            String name = "lab-link-" + port() + "-c" + id;
            this.request = new Direction(this, name + "-up", client, server, false);
            this.response = new Direction(this, name + "-down", server, client, true);
        }

        void start() {
            request.start();
            response.start();
        }

        void directionDone() {
            if (directionsDone.incrementAndGet() == 2) {
                closeQuietly(client);
                closeQuietly(server);
                connections.remove(this);
            }
        }

        void reset() {
            aborted = true;
            resetQuietly(client);
            resetQuietly(server);
            stopPumps();
        }

        void abort() {
            if (aborted) {
                return;
            }
            aborted = true;
            closeQuietly(client);
            closeQuietly(server);
            stopPumps();
        }

        private void stopPumps() {
            request.stop();
            response.stop();
            connections.remove(this);
        }
    }

    /** Bytes flowing one way: a reader that stamps chunks, a writer that releases them when due. */
    private final class Direction {
        private final Connection connection;
        private final Socket from;
        private final Socket to;
        private final boolean isResponse;
        private final BlockingQueue<Chunk> queue = new ArrayBlockingQueue<>(QUEUE_CHUNKS);
        private final Thread reader;
        private final Thread writer;
        private final SplittableRandom jitter; // reader thread only
        private long lastDueNanos;      // reader thread only
        private long nextFreeNanos;     // writer thread only: when the bandwidth cap allows the next byte

        Direction(Connection connection, String name, Socket from, Socket to, boolean isResponse) {
            this.connection = connection;
            this.from = from;
            this.to = to;
            this.isResponse = isResponse;
            this.jitter = jitterStream(connection.id);
            this.reader = new Thread(this::readLoop, name + "-read");
            this.writer = new Thread(this::writeLoop, name + "-write");
            reader.setDaemon(true);
            writer.setDaemon(true);
        }

        void start() {
            writer.start();
            reader.start();
        }

        void stop() {
            writer.interrupt();
            reader.interrupt();
        }

        private void readLoop() {
            byte[] buffer = new byte[CHUNK_BYTES];
            try {
                InputStream in = from.getInputStream();
                while (true) {
                    int n = in.read(buffer);
                    if (n < 0) {
                        queue.put(new Chunk(null, stamp()));
                        return;
                    }
                    if (partition == Partition.DROP) {
                        continue; // the partition eats it
                    }
                    queue.put(new Chunk(Arrays.copyOf(buffer, n), stamp()));
                }
            } catch (IOException | InterruptedException e) {
                connection.abort();
            }
        }

        /** Due time of a chunk read now; never earlier than the previous one, so order holds when the delay shrinks. */
        private long stamp() {
            long due = System.nanoTime() + delayNanos(isResponse, jitter);
            if (due < lastDueNanos) {
                due = lastDueNanos;
            }
            lastDueNanos = due;
            return due;
        }

        private void writeLoop() {
            try {
                OutputStream out = to.getOutputStream();
                while (true) {
                    Chunk chunk = queue.take();
                    sleepUntil(chunk.dueNanos());
                    if (chunk.isEndOfStream()) {
                        to.shutdownOutput();
                        connection.directionDone();
                        return;
                    }
                    if (partition == Partition.DROP) {
                        continue;
                    }
                    write(out, chunk.bytes());
                }
            } catch (IOException | InterruptedException e) {
                connection.abort();
            }
        }

        /** Writes, paced by the bandwidth cap in slices of about 10 ms so the rate stays smooth. */
        private void write(OutputStream out, byte[] bytes) throws IOException, InterruptedException {
            int offset = 0;
            while (offset < bytes.length) {
                long cap = bytesPerSecond;
                if (cap <= 0) {
                    out.write(bytes, offset, bytes.length - offset);
                    return;
                }
                int slice = (int) Math.min(bytes.length - offset, Math.max(1, cap / 100));
                long now = System.nanoTime();
                if (nextFreeNanos > now) {
                    sleepUntil(nextFreeNanos);
                } else {
                    nextFreeNanos = now; // an idle link earns no burst credit
                }
                out.write(bytes, offset, slice);
                offset += slice;
                nextFreeNanos += slice * 1_000_000_000L / cap;
            }
        }
    }
}
