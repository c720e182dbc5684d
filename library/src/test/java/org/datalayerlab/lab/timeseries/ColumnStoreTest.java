package org.datalayerlab.lab.timeseries;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.ResultSet;
import java.sql.Statement;
import org.datalayerlab.lab.Lab;
import org.datalayerlab.lab.LabException;
import org.datalayerlab.lab.Postgres;
import org.junit.jupiter.api.Test;

/** Rows copied from a real PostgreSQL server into a DuckDB file, which the lab deletes. */
class ColumnStoreTest {

    @Test
    void copiesRowsFromPostgresAndDeletesItsFolderWithTheLab() throws Exception {
        Path file;
        try (Lab lab = Lab.start("embedded")) {
            Postgres server = lab.postgres();
            server.execute("create table readings as select g % 10 as sensor, timestamp '2025-01-01' + g * interval '10 s' as at,"
                    + " g * 0.25 as value from generate_series(1, 5000) g");
            ColumnStore duck = ColumnStore.open(lab);
            file = Path.of(duck.toString().replaceFirst("^ColumnStore\\[", "").replaceFirst("]$", ""));
            duck.execute("create table readings (sensor integer, \"at\" timestamp, value double)");
            assertEquals(5000, duck.load("readings", server, "select sensor, at, value from readings"));
            try (Statement s = duck.connection().createStatement();
                 ResultSet rs = s.executeQuery("select count(*), sum(value), max(\"at\") from readings")) {
                rs.next();
                assertEquals(5000, rs.getLong(1));
                assertEquals(Double.parseDouble(server.queryString("select sum(value)::float8::text from readings")), rs.getDouble(2));
                assertEquals(server.queryString("select max(at)::text from readings"), rs.getTimestamp(3).toLocalDateTime()
                        .toString().replace('T', ' '));
            }
            assertTrue(Files.isRegularFile(file), "the database is a file: " + file);
            assertTrue(duck.fileBytes() > 0);
            try (var left = Files.list(file.getParent())) {
                assertEquals(0, left.filter(p -> p.toString().endsWith(".csv")).count(), "the CSV file is deleted after the load");
            }

            LabException badQuery = assertThrows(LabException.class, () -> duck.load("readings", server, "select nope from readings"));
            assertTrue(badQuery.getMessage().contains("readings"), badQuery.getMessage());
            assertThrows(IllegalArgumentException.class, () -> duck.load("x; drop", server, "select 1"));
        }
        assertFalse(Files.exists(file.getParent()), "closing the lab deletes the store's folder");
    }

    @Test
    void aClosedStoreSaysHowToGetANewOne() {
        try (Lab lab = Lab.start("embedded")) {
            ColumnStore duck = ColumnStore.open(lab);
            duck.close();
            duck.close();
            LabException e = assertThrows(LabException.class, () -> duck.execute("select 1"));
            assertTrue(e.getMessage().contains("ColumnStore.open(lab)"), e.getMessage());
        }
    }
}
