package org.datalayerlab.lab.timeseries;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import org.datalayerlab.lab.Lab;
import org.datalayerlab.lab.LabException;
import org.datalayerlab.lab.Postgres;
import org.junit.jupiter.api.Test;

/** Timing real queries on a real server: the fastest run, the median, the rows read. */
class QueryTimesTest {

    @Test
    void keepsTheFastestRunAndCountsRows() throws Exception {
        try (Lab lab = Lab.start("embedded")) {
            Postgres server = lab.postgres();
            try (Connection c = server.connect()) {
                QueryTimes.Timing t = QueryTimes.time("series", c, "select g from generate_series(1, 1000) g", 5);
                assertEquals("series", t.label());
                assertEquals(5, t.runs());
                assertEquals(1000, t.rows());
                assertTrue(t.bestMs() > 0 && t.bestMs() <= t.medianMs(), t.toString());

                QueryTimes.Timing sleep = QueryTimes.time("sleep", c, "select pg_sleep(0.02)", 3);
                assertTrue(sleep.bestMs() >= 20, "pg_sleep(0.02) cannot be faster than 20 ms: " + sleep);

                LabException bad = assertThrows(LabException.class, () -> QueryTimes.time("typo", c, "selec 1", 1));
                assertTrue(bad.getMessage().contains("typo") && bad.getMessage().contains("selec 1"), bad.getMessage());
                assertThrows(IllegalArgumentException.class, () -> QueryTimes.time("none", c, "select 1", 0));
            }
        }
    }
}
