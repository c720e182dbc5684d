package org.datalayerlab.lab.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import tech.tablesaw.api.Table;

class DatasetsTest {

    @Test
    void readsAllFlightsInDepartureOrder() {
        List<Datasets.Flight> flights = Datasets.flights();
        assertEquals(20_000, flights.size());
        Datasets.Flight first = flights.get(0);
        assertEquals("DTW", first.origin());
        assertEquals("LAS", first.destination());
        assertEquals(66, first.delayMinutes());
        for (int i = 1; i < flights.size(); i++) {
            assertTrue(!flights.get(i).departure().isBefore(flights.get(i - 1).departure()), "row " + i);
        }
    }

    @Test
    void flightsTableHasOneRowPerFlight() {
        Table t = Datasets.flightsTable();
        assertEquals(20_000, t.rowCount());
        assertEquals(List.of("departure", "delay_min", "distance_mi", "origin", "destination"), t.columnNames());
    }

    @Test
    void loadsOnlyTheFlightsThePredicateKeepsWithTheirOwnIds() throws Exception {
        try (java.sql.Connection c = org.datalayerlab.lab.testsupport.TestPostgres.dataSource().getConnection();
             java.sql.Statement s = c.createStatement()) {
            long ord = Datasets.flights().stream().filter(f -> f.origin().equals("ORD")).count();
            assertEquals(ord, Datasets.loadFlights(c, "flights_ord", (id, f) -> f.origin().equals("ORD")));
            try (java.sql.ResultSet rs = s.executeQuery("select count(*), count(distinct origin), min(id), max(id) from flights_ord")) {
                rs.next();
                assertEquals(ord, rs.getLong(1));
                assertEquals(1, rs.getLong(2));
                assertTrue(rs.getLong(3) >= 1 && rs.getLong(4) <= 20_000);
            }
            assertEquals(10, Datasets.loadFlights(c, "flights_first10", (id, f) -> id <= 10));
            try (java.sql.ResultSet rs = s.executeQuery("select origin, delay_min from flights_first10 where id = 1")) {
                rs.next();
                assertEquals("DTW", rs.getString(1));
                assertEquals(66, rs.getInt(2));
            }
            s.execute("drop table flights_ord; drop table flights_first10");
        }
        assertThrows(IllegalArgumentException.class, () -> Datasets.loadFlights(null, "bad name", (id, f) -> true));
    }

    @Test
    void unknownDatasetIsRejectedWithTheKnownNames() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Datasets.file("nope.csv"));
        assertTrue(e.getMessage().contains("flights-20k.json"), e.getMessage());
    }
}
