package org.datalayerlab.lab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LabConfigTest {

    @Test
    void defaultsAreTheOnesTheReadmeLists() {
        LabConfig c = LabConfig.from(Map.of());
        assertEquals("auto", c.backend());
        assertEquals("ci", c.scale());
        assertEquals(Path.of(System.getProperty("java.io.tmpdir"), "datalayerlab-" + System.getProperty("user.name")), c.home());
        assertEquals("nobody", c.pgOsUser());
        assertNull(c.datasets());
        assertEquals(List.of(), c.externalUrlList());
        assertEquals("postgres", c.externalUser());
        assertEquals("", c.externalPassword());
    }

    @Test
    void readsEveryVariable() {
        LabConfig c = LabConfig.from(Map.of("LAB_BACKEND", " Embedded ", "LAB_SCALE", "FULL", "LAB_HOME", "/tmp/h",
                "LAB_PG_OS_USER", "pg", "LAB_DATASETS", "/tmp/d", "LAB_EXTERNAL_URLS", "jdbc:postgresql://a/x, ,jdbc:postgresql://b/x",
                "LAB_EXTERNAL_USER", "u", "LAB_EXTERNAL_PASSWORD", "p"));
        assertEquals("embedded", c.backend());
        assertEquals("full", c.scale());
        assertEquals(Path.of("/tmp/h"), c.home());
        assertEquals(Path.of("/tmp/h"), c.fastHome(), "with LAB_HOME set and no LAB_FAST_HOME, everything goes under LAB_HOME");
        assertEquals("pg", c.pgOsUser());
        assertEquals(Path.of("/tmp/d"), c.datasets());
        assertEquals(List.of("jdbc:postgresql://a/x", "jdbc:postgresql://b/x"), c.externalUrlList());
        assertEquals("containers", c.withBackend("containers").backend());
        assertTrue(!c.toString().contains("=p,") && !c.toString().contains("=p]"), "the password stays out of printed output: " + c);
        assertEquals(Path.of("/tmp/f"), LabConfig.from(Map.of("LAB_HOME", "/tmp/h", "LAB_FAST_HOME", "/tmp/f")).fastHome());
    }

    @Test
    void aWrongScaleSaysWhatToUse() {
        LabException e = assertThrows(LabException.class, () -> LabConfig.from(Map.of("LAB_SCALE", "huge")).scale());
        assertEquals("LAB_SCALE=huge is not a scale: use ci or full", e.getMessage());
    }
}
