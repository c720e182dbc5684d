package org.datalayerlab.lab.workload;

/**
 * One driver thread's side of a {@link Workload}: holds what the thread needs (a connection,
 * prepared statements, a seeded random) and runs one operation per {@link #next()} call.
 */
public interface Worker extends AutoCloseable {

    /**
     * Runs one operation. Returns its kind (e.g. "read", "update") for per-kind latencies, or
     * null. Throwing counts the operation as an error; the driver carries on.
     */
    String next() throws Exception;

    @Override
    default void close() throws Exception {
    }
}
