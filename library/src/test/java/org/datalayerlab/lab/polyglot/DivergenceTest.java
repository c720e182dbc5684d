package org.datalayerlab.lab.polyglot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DivergenceTest {

    @Test
    void countsDifferentMissingAndExtraKeys() {
        Map<String, String> record = Map.of("1", "10", "2", "20", "3", "30");
        Map<String, String> copy = new HashMap<>(Map.of("1", "10", "2", "21", "4", "40"));
        copy.put("5", null);   // a key the copy knows with no value: the same as absent
        Divergence d = Divergence.between(record, copy);
        assertEquals(List.of("2", "3", "4"), d.keys());
        assertEquals(3, d.count());
        assertEquals("2: record=20, copy=21", d.examples(1).get(0));
        assertTrue(d.toString().startsWith("3 of 3 keys differ"), d.toString());
    }

    @Test
    void identicalCopiesDoNotDiverge() {
        Divergence d = Divergence.between(Map.of("a", "1"), Map.of("a", "1"));
        assertEquals(0, d.count());
        assertEquals("0 of 1 keys differ", d.toString());
    }
}
