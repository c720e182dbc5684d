package org.datalayerlab.lab.region;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.Statement;
import javax.sql.DataSource;
import org.datalayerlab.lab.Lab;
import org.datalayerlab.lab.LabException;
import org.datalayerlab.lab.Postgres;
import org.junit.jupiter.api.Test;

/** Clients in a far region pay the scaled round trip on every query; clients in the server's region do not. */
class RegionsTest {

    @Test
    void aQueryFromAnotherRegionPaysTheScaledRoundTrip() throws Exception {
        try (Lab lab = Lab.start("embedded")) {
            Regions world = Regions.of(lab, 0.5).roundTrip("near", "far", 60);
            Postgres pg = world.place(lab.postgres(), "near");
            assertEquals(30.0, world.roundTripMillis("near", "far"), 1e-9);
            assertEquals(0.0, world.roundTripMillis("far", "far"), 1e-9);
            double local = medianQueryMillis(world.client("near", pg));
            double remote = medianQueryMillis(world.client("far", pg));
            assertTrue(remote >= 29, "a query from the far region waits one 30 ms round trip, took " + remote + " ms");
            assertTrue(local < 10, "a query within the region is direct, took " + local + " ms");
            assertTrue(world.conninfo("far", pg).contains("port=" + world.path("far", pg).port()));
            assertEquals(pg.port(), world.path("near", pg).port());
            assertEquals(1, world.table().rowCount());
        }
    }

    @Test
    void mistakesSayWhatToDo() {
        try (Lab lab = Lab.start("embedded")) {
            Regions world = Regions.of(lab, 1).roundTrip("a", "b", 10);
            LabException unknown = assertThrows(LabException.class, () -> world.roundTrip("a", "mars"));
            assertTrue(unknown.getMessage().contains("unknown region 'mars'"), unknown.getMessage());
            Postgres pg = lab.postgres();
            LabException unplaced = assertThrows(LabException.class, () -> world.client("a", pg));
            assertTrue(unplaced.getMessage().contains("place it first"), unplaced.getMessage());
            assertThrows(IllegalArgumentException.class, () -> Regions.of(lab, 0));
            assertThrows(IllegalArgumentException.class, () -> world.roundTrip("a", "a", 5));
        }
    }

    private static double medianQueryMillis(DataSource ds) throws Exception {
        try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
            s.execute("select 1");
            double[] t = new double[9];
            for (int i = 0; i < t.length; i++) {
                long start = System.nanoTime();
                s.execute("select 1");
                t[i] = (System.nanoTime() - start) / 1e6;
            }
            java.util.Arrays.sort(t);
            return t[t.length / 2];
        }
    }
}
