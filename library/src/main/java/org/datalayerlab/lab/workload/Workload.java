package org.datalayerlab.lab.workload;

import java.sql.Connection;
import java.util.Objects;
import java.util.SplittableRandom;
import javax.sql.DataSource;

/**
 * Something a {@link Driver} runs over and over: it makes one {@link Worker} per driver
 * thread. Ready-made ones: {@link Ycsb} and {@link Tpcb}; your own in one line with
 * {@link #of(String, Op)}, {@link #sql(String, DataSource, String)} or
 * {@link #jdbc(String, DataSource, JdbcOp)}.
 */
@FunctionalInterface
public interface Workload {

    /** A worker for driver thread {@code thread}; {@code seed} seeds every random choice it makes. */
    Worker newWorker(int thread, long seed) throws Exception;

    /** Name used as the default label of a run. */
    default String name() {
        return "workload";
    }

    /** An operation with no per-thread state. */
    @FunctionalInterface
    interface Op {
        void run() throws Exception;
    }

    /** An operation on the thread's own connection, with the thread's seeded random. */
    @FunctionalInterface
    interface JdbcOp {
        void run(Connection connection, SplittableRandom random) throws Exception;
    }

    /** A workload that runs {@code op} on every thread. */
    static Workload of(String name, Op op) {
        Objects.requireNonNull(op, "op");
        return named(name, (thread, seed) -> () -> {
            op.run();
            return null;
        });
    }

    /**
     * A workload where each thread keeps one connection from {@code dataSource} (autocommit
     * on) and runs {@code op} on it. A connection that breaks (server down, failover) is
     * dropped and the next operation connects again, so a run rides through outages,
     * counting the failed operations as errors.
     */
    static Workload jdbc(String name, DataSource dataSource, JdbcOp op) {
        Objects.requireNonNull(dataSource, "dataSource");
        Objects.requireNonNull(op, "op");
        return named(name, (thread, seed) -> {
            SplittableRandom random = new SplittableRandom(seed);
            return new JdbcWorker(dataSource) {
                @Override
                protected String run(Connection connection) throws Exception {
                    op.run(connection, random);
                    return null;
                }
            };
        });
    }

    /**
     * One SQL statement per operation, on each thread's own connection from {@code dataSource}
     * (as {@link #jdbc}): {@code Workload.sql("insert a row", primary.dataSource(), "insert into t default values")}.
     */
    static Workload sql(String name, DataSource dataSource, String sql) {
        if (sql == null || sql.isBlank()) {
            throw new IllegalArgumentException("Workload.sql: pass the statement to run, e.g. \"insert into t default values\"");
        }
        return jdbc(name, dataSource, (connection, random) -> {
            try (var statement = connection.createStatement()) {
                statement.execute(sql);
            }
        });
    }

    /** Gives a workload a name. */
    static Workload named(String name, Workload workload) {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(workload, "workload");
        return new Workload() {
            @Override
            public Worker newWorker(int thread, long seed) throws Exception {
                return workload.newWorker(thread, seed);
            }

            @Override
            public String name() {
                return name;
            }

            @Override
            public String toString() {
                return name;
            }
        };
    }
}
