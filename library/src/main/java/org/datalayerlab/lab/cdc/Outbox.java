package org.datalayerlab.lab.cdc;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.UUID;
import org.datalayerlab.lab.Postgres;

/**
 * The transactional outbox: a table the application writes its events to in the same
 * transaction as its data, so an event exists exactly when its change committed. CDC then reads
 * the table's inserts from the write-ahead log and {@link ChangeCapture#startOutbox} routes them
 * with Debezium's outbox event router. The columns are the router's defaults.
 *
 * <pre>{@code
 * Outbox.create(pg, "outbox");
 * try (Connection c = pg.connect()) {
 *     c.setAutoCommit(false);
 *     c.createStatement().execute("insert into orders values (42, 'placed')");
 *     Outbox.write(c, "outbox", "order", "42", "OrderPlaced", "{\"id\":42}");
 *     c.commit();                                     // the order and its event, or neither
 * }
 * }</pre>
 */
public final class Outbox {

    private Outbox() {
    }

    /** Creates the outbox table (id, aggregatetype, aggregateid, type, payload) in schema public. */
    public static void create(Postgres server, String table) {
        checkName(table);
        server.execute("create table " + table + " (id uuid primary key, aggregatetype text not null,"
                + " aggregateid text not null, type text not null, payload jsonb)");
    }

    /**
     * Adds one event to the outbox on {@code connection}, inside the caller's transaction (commit
     * it with the data it describes). Returns the event's id.
     */
    public static String write(Connection connection, String table, String aggregateType, String aggregateId,
                               String type, String payloadJson) throws SQLException {
        checkName(table);
        String id = UUID.randomUUID().toString();
        try (PreparedStatement ps = connection.prepareStatement("insert into " + table
                + " (id, aggregatetype, aggregateid, type, payload) values (?::uuid, ?, ?, ?, ?::jsonb)")) {
            ps.setString(1, id);
            ps.setString(2, aggregateType);
            ps.setString(3, aggregateId);
            ps.setString(4, type);
            ps.setString(5, payloadJson);
            ps.executeUpdate();
        }
        return id;
    }

    static void checkName(String table) {
        if (table == null || !table.matches("[a-z_][a-z0-9_]*")) {
            throw new IllegalArgumentException("not a table name: '" + table
                    + "' (use lower-case letters, digits and underscores; the table lives in schema public)");
        }
    }
}
