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
    void unknownDatasetIsRejectedWithTheKnownNames() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Datasets.file("nope.csv"));
        assertTrue(e.getMessage().contains("flights-20k.json"), e.getMessage());
    }
}
