package org.datalayerlab.lab.hotspot;

import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;
import org.datalayerlab.lab.Postgres;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Objects;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;
import javax.sql.DataSource;

/**
 * One partition: a real PostgreSQL server behind a {@link Capacity}. Every statement first waits
 * for one of the server's slots (a fair semaphore: a queue), then runs, then keeps the slot until
 * the model's service time is over. It counts the statements it served and records each one's
 * time in the partition (queueing plus service), which is where a hot partition's latency grows.
 */
public final class PartitionServer {

    /** Work on one connection of this partition's server. */
    @FunctionalInterface
    public interface Call<T> {
        T run(Connection connection) throws SQLException;
    }

    private final int index;
    private final Postgres server;
    private final Capacity capacity;
    private final Semaphore slots;
    private final DataSource pool;
    private final LongAdder statements = new LongAdder();
    private final Recorder timeInPartition = new Recorder(3);
    private Histogram recycled;

    PartitionServer(int index, Postgres server, Capacity capacity) {
        this.index = index;
        this.server = Objects.requireNonNull(server, "server");
        this.capacity = Objects.requireNonNull(capacity, "capacity");
        this.slots = new Semaphore(capacity.concurrent(), true);
        this.pool = server.dataSource(capacity.concurrent());  // closed with the server
    }

    public int index() {
        return index;
    }

    public Postgres server() {
        return server;
    }

    public Capacity capacity() {
        return capacity;
    }

    /** Runs {@code call} in one of this partition's slots, counting it and timing it from the moment it asked. */
    public <T> T call(Call<T> call) throws SQLException {
        long asked = System.nanoTime();
        try {
            slots.acquire();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SQLException("interrupted while waiting for a slot on partition " + index, e);
        }
        try {
            long started = System.nanoTime();
            T result;
            try (Connection connection = pool.getConnection()) {
                result = call.run(connection);
            }
            long serviceEnds = started + capacity.serviceTime().toNanos();
            for (long left = serviceEnds - System.nanoTime(); left > 0; left = serviceEnds - System.nanoTime()) {
                LockSupport.parkNanos(left);
            }
            return result;
        } finally {
            slots.release();
            statements.increment();
            timeInPartition.recordValue(Math.max(1, (System.nanoTime() - asked) / 1000));
        }
    }

    /** Statements served since the last {@link #resetStats()}. */
    public long statements() {
        return statements.sum();
    }

    /** Time in the partition (waiting for a slot plus service, in microseconds) since the last call or reset. */
    public synchronized Histogram takeLatencies() {
        recycled = timeInPartition.getIntervalHistogram(recycled);
        return recycled.copy();
    }

    /** Starts counting statements and time from zero. */
    public synchronized void resetStats() {
        statements.reset();
        recycled = timeInPartition.getIntervalHistogram(recycled);
    }

    @Override
    public String toString() {
        return "partition " + index + " (" + server.name() + ")";
    }
}
