package org.datalayerlab.lab.workload;

import java.nio.charset.Charset;
import java.sql.Connection;
import java.sql.SQLException;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;

/**
 * Rows streamed into {@code COPY table FROM STDIN} (text format) in batches of about 1 MB, the
 * fastest way to load a generated table. Append a row's text to {@link #row()}, end it with
 * {@link #endRow()}, {@link #finish()} at the end; closing without finishing cancels the COPY.
 */
final class CopyRows implements AutoCloseable {

    private static final int BATCH_CHARS = 1 << 20;

    private final CopyIn copy;
    private final Charset charset;
    private final StringBuilder batch = new StringBuilder(BATCH_CHARS);

    CopyRows(Connection c, String table, Charset charset) throws SQLException {
        this.copy = c.unwrap(PGConnection.class).getCopyAPI().copyIn("COPY " + table + " FROM STDIN");
        this.charset = charset;
    }

    /** Where the current row's tab-separated fields go. */
    StringBuilder row() {
        return batch;
    }

    void endRow() throws SQLException {
        batch.append('\n');
        if (batch.length() >= BATCH_CHARS) {
            send();
        }
    }

    void finish() throws SQLException {
        send();
        copy.endCopy();
    }

    private void send() throws SQLException {
        byte[] bytes = batch.toString().getBytes(charset);
        copy.writeToCopy(bytes, 0, bytes.length);
        batch.setLength(0);
    }

    @Override
    public void close() throws SQLException {
        if (copy.isActive()) {
            copy.cancelCopy();
        }
    }
}
