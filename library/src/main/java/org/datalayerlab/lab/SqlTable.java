package org.datalayerlab.lab;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import tech.tablesaw.api.LongColumn;
import tech.tablesaw.api.Table;

/** {@link Postgres#sql}: one statement's rows as a Tablesaw table. */
final class SqlTable {

    private SqlTable() {
    }

    static Table run(Postgres server, String sql, Object... parameters) {
        if (sql == null || sql.isBlank()) {
            throw new IllegalArgumentException("sql: pass one SQL statement, e.g. \"select * from pg_stat_replication\"");
        }
        try (Connection c = server.dataSource().getConnection(); PreparedStatement st = c.prepareStatement(sql)) {
            for (int i = 0; i < parameters.length; i++) {
                st.setObject(i + 1, parameters[i]);
            }
            if (st.execute()) {
                try (ResultSet rs = st.getResultSet()) {
                    return Table.read().db(rs, server.name());
                }
            }
            return Table.create(server.name(), LongColumn.create("rows changed", new long[] {st.getUpdateCount()}));
        } catch (SQLException e) {
            throw new LabException(server.name() + ": " + sql + ": " + e.getMessage(), e);
        }
    }
}
