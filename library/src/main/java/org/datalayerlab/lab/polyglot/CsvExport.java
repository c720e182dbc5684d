package org.datalayerlab.lab.polyglot;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import org.datalayerlab.lab.LabException;
import org.datalayerlab.lab.Postgres;
import org.postgresql.PGConnection;

/**
 * A snapshot of a query's rows in a CSV file with a header line, written by PostgreSQL's
 * {@code COPY (query) TO STDOUT}: the file lands on this machine (the client), whichever backend
 * runs the server, and DuckDB ({@code read_csv}) or H2 ({@code CSVREAD}) load it in one statement.
 */
public final class CsvExport {

    private CsvExport() {
    }

    /** Writes the rows of {@code query} to {@code file} (replacing it) and returns how many there were. */
    public static long query(Postgres server, String query, Path file) {
        if (query == null || query.isBlank()) {
            throw new IllegalArgumentException("CsvExport.query: pass a SELECT, e.g. \"select * from flights\"");
        }
        try (Connection connection = server.connect(); OutputStream out = Files.newOutputStream(file)) {
            return connection.unwrap(PGConnection.class).getCopyAPI()
                    .copyOut("COPY (" + query + ") TO STDOUT (FORMAT csv, HEADER)", out);
        } catch (SQLException | IOException e) {
            throw new LabException("could not export \"" + query + "\" from " + server.name() + " to " + file + ": "
                    + e.getMessage(), e);
        }
    }
}
