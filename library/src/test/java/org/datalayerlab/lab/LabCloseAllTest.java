package org.datalayerlab.lab;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Lab.closeAll(): what a notebook's lab cell calls so that a second Run All stops the first run's servers. */
class LabCloseAllTest {

    @Test
    void closeAllStopsEveryOpenLabsServers() {
        Lab first = Lab.start("embedded");
        Lab second = Lab.start("embedded");
        Postgres a = first.postgres();
        Postgres b = second.postgres();
        assertTrue(Lab.closeAll() >= 2);
        assertFalse(a.isRunning());
        assertFalse(b.isRunning());
        assertThrows(LabException.class, first::postgres);
        assertTrue(Lab.closeAll() == 0, "nothing left to close");
        second.close(); // closing again is harmless
    }
}
