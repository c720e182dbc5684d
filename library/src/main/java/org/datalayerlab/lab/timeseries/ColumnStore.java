package org.datalayerlab.lab.timeseries;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.datalayerlab.lab.Lab;
import org.datalayerlab.lab.LabException;
import org.datalayerlab.lab.Postgres;
import org.datalayerlab.lab.polyglot.CsvExport;
import org.datalayerlab.lab.server.Files2;
import org.datalayerlab.lab.server.Reaper;

/**
 * A DuckDB database (a columnar engine, in this JVM) in a file of its own temporary folder,
 * inside the lab's run directory so that nothing outlives a killed kernel. Closing it closes
 * the connection and deletes the folder; {@link #open(Lab)} closes it with the lab.
 *
 * <pre>{@code
 * ColumnStore duck = ColumnStore.open(lab);
 * duck.execute("create table metrics (sensor int, at timestamp, value double)");
 * duck.load("metrics", server, "select sensor, at, value from metrics");   // via a CSV file
 * duck.connection();                                                        // plain JDBC
 * }</pre>
 */
public final class ColumnStore implements AutoCloseable {

    private static final AtomicInteger SEQUENCE = new AtomicInteger();

    private final Path folder;
    private final Path file;
    private final Connection connection;
    private boolean closed;

    private ColumnStore(Path folder) {
        this.folder = folder;
        this.file = folder.resolve("lab.duckdb");
        try {
            this.connection = DriverManager.getConnection("jdbc:duckdb:" + file);
        } catch (SQLException e) {
            Files2.deleteTree(folder);
            throw new LabException("could not open DuckDB (org.duckdb:duckdb_jdbc) at " + file + ": " + e.getMessage(), e);
        }
    }

    /** A new, empty DuckDB file, closed (and deleted) with the lab. */
    public static ColumnStore open(Lab lab) {
        return lab.closeLater(new ColumnStore(Files2.mkdirs(Reaper.jvmDir().resolve("columnstore-" + SEQUENCE.incrementAndGet()))));
    }

    /** The JDBC connection to the DuckDB database. */
    public Connection connection() {
        checkOpen();
        return connection;
    }

    /** Runs one or more statements; returns the update count of the last. */
    public int execute(String sql) {
        checkOpen();
        try (Statement s = connection.createStatement()) {
            s.execute(sql);
            return Math.max(0, s.getUpdateCount());
        } catch (SQLException e) {
            throw new LabException("DuckDB: " + sql + ": " + e.getMessage(), e);
        }
    }

    /**
     * Copies the rows of {@code query} on {@code from} into the existing DuckDB table
     * {@code table} (columns in the same order): PostgreSQL's {@code COPY ... TO STDOUT} writes
     * a CSV file in this store's folder, DuckDB's {@code COPY ... FROM} reads it, the file is
     * deleted. Returns the rows copied.
     */
    public long load(String table, Postgres from, String query) {
        checkOpen();
        if (table == null || !table.matches("[A-Za-z_][A-Za-z0-9_]*")) {
            throw new IllegalArgumentException("table must be a plain SQL name, was: " + table);
        }
        Path csv = folder.resolve(table + ".csv");
        try {
            long rows = CsvExport.query(from, query, csv);
            execute("COPY " + table + " FROM '" + csv + "' (FORMAT csv, HEADER true)");
            return rows;
        } finally {
            try {
                Files.deleteIfExists(csv);
            } catch (IOException e) {
                // left in the store's folder, which close() deletes
            }
        }
    }

    /** Bytes of the database files on disk (after a CHECKPOINT, everything written so far). */
    public long fileBytes() {
        execute("CHECKPOINT");
        try (Stream<Path> files = Files.list(folder)) {
            return files.filter(Files::isRegularFile).mapToLong(p -> p.toFile().length()).sum();
        } catch (IOException e) {
            throw new LabException("cannot list " + folder + ": " + e.getMessage(), e);
        }
    }

    /** Closes the connection and deletes the folder. Safe to call twice. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            connection.close();
        } catch (SQLException e) {
            // the folder goes anyway
        } finally {
            Files2.deleteTree(folder);
        }
    }

    private void checkOpen() {
        if (closed) {
            throw new LabException("this column store is closed; open a new one with ColumnStore.open(lab)");
        }
    }

    @Override
    public String toString() {
        return "ColumnStore[" + file + (closed ? ", closed" : "") + "]";
    }
}
