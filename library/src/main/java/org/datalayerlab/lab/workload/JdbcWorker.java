package org.datalayerlab.lab.workload;

import java.sql.Connection;
import java.sql.SQLException;
import javax.sql.DataSource;

/**
 * A worker that keeps one connection, opens it lazily and drops it when it breaks, so the
 * next operation reconnects (rides through restarts and failovers, counting errors).
 */
abstract class JdbcWorker implements Worker {

    private final DataSource dataSource;
    private Connection connection;

    JdbcWorker(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** Called on every new connection: set autocommit, prepare statements. */
    protected void open(Connection connection) throws SQLException {
    }

    /** One operation on the open connection; returns its kind or null. */
    protected abstract String run(Connection connection) throws Exception;

    @Override
    public final String next() throws Exception {
        if (connection == null) {
            Connection c = dataSource.getConnection();
            try {
                open(c);
            } catch (SQLException e) {
                closeQuietly(c);
                throw e;
            }
            connection = c;
        }
        try {
            return run(connection);
        } catch (SQLException e) {
            if (isBroken(e)) {
                closeQuietly(connection);
                connection = null;
            } else if (!connection.getAutoCommit()) {
                try {
                    connection.rollback();
                } catch (SQLException rollbackFailed) {
                    closeQuietly(connection);
                    connection = null;
                }
            }
            throw e;
        }
    }

    private boolean isBroken(SQLException e) {
        String state = e.getSQLState();
        // 08: connection exceptions; 57P: the server is shutting down or crashed
        if (state == null || state.startsWith("08") || state.startsWith("57P")) {
            return true;
        }
        try {
            return connection.isClosed();
        } catch (SQLException ignored) {
            return true;
        }
    }

    private static void closeQuietly(Connection c) {
        try {
            c.close();
        } catch (SQLException ignored) {
            // already broken
        }
    }

    @Override
    public void close() {
        if (connection != null) {
            closeQuietly(connection);
            connection = null;
        }
    }
}
