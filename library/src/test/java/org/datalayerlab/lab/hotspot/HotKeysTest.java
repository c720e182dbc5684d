package org.datalayerlab.lab.hotspot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.datalayerlab.lab.workload.KeyChooser;
import org.datalayerlab.lab.workload.Keys;
import org.junit.jupiter.api.Test;

/** The frequent-items sketch against exact counts on a zipfian stream. */
class HotKeysTest {

    @Test
    void aBigEnoughSketchFindsTheTrueTopTenAndBoundsEveryEstimate() {
        HotKeys sketch = HotKeys.withMapSize(256);
        ExactCounts exact = new ExactCounts();
        KeyChooser keys = Keys.zipfian(10_000).chooser(7);
        for (int i = 0; i < 100_000; i++) {
            String key = CounterLoad.keyName(keys.next());
            sketch.offer(key);
            exact.offer(key);
        }
        assertTrue(ExactCounts.overlap(sketch.topKeys(10), exact.topKeys(10)) >= 9, sketch.topKeys(10) + " vs " + exact.topKeys(10));
        for (HotKeys.HotKey hot : sketch.top(10)) {
            long truth = exact.count(hot.key());
            assertTrue(hot.lowerBound() <= truth && truth <= hot.upperBound(), hot + " true " + truth);
            assertTrue(Math.abs(hot.estimate() - truth) <= sketch.maximumError(), hot + " true " + truth);
        }
        assertEquals(100_000, sketch.streamLength());
        assertTrue(exact.distinctKeys() > 20 * 256, "the exact count keeps far more counters: " + exact.distinctKeys());
        assertTrue(sketch.serializedBytes() < 16_384, sketch.serializedBytes() + " bytes");
    }

    @Test
    void aTinySketchMissesSomeOfTheTopTen() {
        HotKeys sketch = HotKeys.withMapSize(16);
        ExactCounts exact = new ExactCounts();
        KeyChooser keys = Keys.zipfian(10_000).chooser(7);
        for (int i = 0; i < 100_000; i++) {
            String key = CounterLoad.keyName(keys.next());
            sketch.offer(key);
            exact.offer(key);
        }
        assertTrue(ExactCounts.overlap(sketch.topKeys(10), exact.topKeys(10)) < 9);
    }

    @Test
    void badInputSaysWhatToDo() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> HotKeys.withMapSize(100));
        assertTrue(e.getMessage().contains("power of 2"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> HotKeys.withMapSize(64).offer(null));
        assertThrows(IllegalArgumentException.class, () -> HotKeys.withMapSize(64).top(0));
        assertEquals(List.of(), HotKeys.withMapSize(64).topKeys(3));
        assertEquals(2, ExactCounts.overlap(List.of("a", "b", "c"), List.of("b", "a")));
    }
}
