package org.datalayerlab.lab.measure;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.Statement;
import org.datalayerlab.lab.LabException;
import org.datalayerlab.lab.testsupport.TestPostgres;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class ExplainTest {

    @BeforeAll
    static void table() throws Exception {
        try (Connection c = TestPostgres.dataSource().getConnection(); Statement s = c.createStatement()) {
            s.execute("DROP TABLE IF EXISTS explain_t");
            s.execute("CREATE TABLE explain_t AS SELECT g AS id, g / 100 AS k, md5(g::text) AS pad FROM generate_series(1, 20000) g");
            s.execute("CREATE INDEX explain_t_k ON explain_t (k)");
            s.execute("VACUUM ANALYZE explain_t");
        }
    }

    @Test
    void withoutAnIndexTheLookupScansTheWholeTable() throws Exception {
        try (Connection c = TestPostgres.dataSource().getConnection()) {
            Explain.Plan p = Explain.analyze(c, "SELECT * FROM explain_t WHERE id = 123");
            assertTrue(p.has("Seq Scan"), p.text());
            assertEquals(1, p.rows());
            Explain.Node scan = p.nodes("Seq Scan").get(0);
            assertEquals("explain_t", scan.relation());
            assertEquals(19_999, scan.rowsRemovedByFilter(), p.text());
            long pages = queryLong(c, "SELECT relpages FROM pg_class WHERE relname = 'explain_t'");
            assertTrue(p.buffers() >= pages, p.buffers() + " buffers, table has " + pages + " pages");
            assertTrue(p.executionMs() > 0 && p.planningMs() > 0, p.text());
            assertTrue(p.text().contains("Seq Scan on explain_t") && p.text().contains("Filter: (id = 123)")
                    && p.text().contains("Buffers: shared") && p.text().contains("Execution Time:"), p.text());
        }
    }

    @Test
    void anIndexLookupReadsAFewPagesAndShowsItsIndexCond() throws Exception {
        try (Connection c = TestPostgres.dataSource().getConnection(); Statement s = c.createStatement()) {
            s.execute("SET enable_bitmapscan = off");
            Explain.Plan p = Explain.analyze(c, "SELECT * FROM explain_t WHERE k = 7 ORDER BY k");
            s.execute("RESET enable_bitmapscan");
            assertTrue(p.usesIndex("explain_t_k"), p.text());
            assertEquals(java.util.List.of("explain_t_k"), p.indexes());
            assertFalse(p.has("Seq Scan"), p.text());
            assertFalse(p.has("Sort"), p.text());
            Explain.Node scan = p.nodes("Index Scan").get(0);
            assertEquals("(k = 7)", scan.indexCond());
            assertEquals(100, scan.actualRows());
            assertTrue(p.text().startsWith("Index Scan using explain_t_k on explain_t"), p.text());
            assertTrue(p.summary().contains("100 rows"), p.summary());
        }
    }

    @Test
    void planOnlyDoesNotRunTheQuery() throws Exception {
        try (Connection c = TestPostgres.dataSource().getConnection()) {
            Explain.Plan p = Explain.plan(c, "SELECT count(*) FROM explain_t");
            assertFalse(p.analyzed());
            assertTrue(Double.isNaN(p.executionMs()));
            assertEquals(0, p.buffers());
            assertEquals("Aggregate", p.root().type());
            assertFalse(p.text().contains("actual"), p.text());
            assertTrue(p.json().has("Plan"));
        }
    }

    @Test
    void treeIsRenderedWithChildren() throws Exception {
        Explain.Plan p = Explain.analyze(TestPostgres.dataSource(), "SELECT k, count(*) FROM explain_t GROUP BY k ORDER BY 2 DESC LIMIT 3");
        assertEquals("Limit", p.root().type());
        assertTrue(p.nodes().size() >= 3, p.text());
        assertTrue(p.text().contains("\n  ->  "), p.text());
        assertEquals(3, p.rows());
    }

    @Test
    void badInputGetsClearErrors() throws Exception {
        try (Connection c = TestPostgres.dataSource().getConnection()) {
            assertThrows(IllegalArgumentException.class, () -> Explain.analyze(c, " "));
            IllegalArgumentException twice = assertThrows(IllegalArgumentException.class,
                    () -> Explain.analyze(c, "EXPLAIN SELECT 1"));
            assertTrue(twice.getMessage().contains("without EXPLAIN"), twice.getMessage());
            LabException e = assertThrows(LabException.class, () -> Explain.analyze(c, "SELECT * FROM no_such_table"));
            assertTrue(e.getMessage().contains("no_such_table"), e.getMessage());
        }
    }

    private static long queryLong(Connection c, String sql) throws Exception {
        try (Statement s = c.createStatement(); var rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
