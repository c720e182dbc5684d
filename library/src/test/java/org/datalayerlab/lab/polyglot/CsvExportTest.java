package org.datalayerlab.lab.polyglot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.util.List;
import org.datalayerlab.lab.Lab;
import org.datalayerlab.lab.LabException;
import org.datalayerlab.lab.Postgres;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A snapshot from a real PostgreSQL server, loaded by DuckDB and H2 as the notebook does. */
class CsvExportTest {

    @Test
    void exportsAQueryThatDuckdbAndH2Load(@TempDir Path dir) throws Exception {
        try (Lab lab = Lab.start("embedded")) {
            Postgres pg = lab.postgres();
            pg.execute("create table t (id int primary key, name text); insert into t values (1, 'a, with comma'), (2, null)");
            Path file = dir.resolve("t.csv");
            assertEquals(2, CsvExport.query(pg, "select * from t order by id", file));
            List<String> lines = Files.readAllLines(file);
            assertEquals(List.of("id,name", "1,\"a, with comma\"", "2,"), lines);

            Connection duck = lab.duckdb();
            try (ResultSet rs = duck.createStatement().executeQuery(
                    "select count(*), max(name) from read_csv('" + file + "', header = true)")) {
                rs.next();
                assertEquals(2, rs.getInt(1));
                assertEquals("a, with comma", rs.getString(2));
            }
            Connection h2 = lab.h2();
            h2.createStatement().execute("create table t (id int primary key, name varchar) as select * from csvread('" + file + "')");
            try (ResultSet rs = h2.createStatement().executeQuery("select name from t where id = 1")) {
                rs.next();
                assertEquals("a, with comma", rs.getString(1));
            }

            LabException e = assertThrows(LabException.class, () -> CsvExport.query(pg, "select * from missing", dir.resolve("m.csv")));
            assertTrue(e.getMessage().contains("could not export \"select * from missing\" from pg1"), e.getMessage());
            assertThrows(IllegalArgumentException.class, () -> CsvExport.query(pg, " ", file));
        }
    }
}
