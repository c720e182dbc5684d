package org.datalayerlab.lab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.datalayerlab.lab.chart.Charts;
import org.junit.jupiter.api.Test;
import tech.tablesaw.api.Table;

/** Sample: metrics read together while an action runs, as one table. */
class SampleTest {

    @Test
    void samplesEveryMetricWhileTheActionRunsAndKeepsItsValue() {
        AtomicLong done = new AtomicLong();
        Sample.Sampled<String> s = Sample.every(Duration.ofMillis(10)).around(Duration.ofMillis(50))
                .metric("done", done::get)
                .metric("twice", () -> 2.0 * done.get())
                .during(() -> {
                    for (int i = 0; i < 10; i++) {
                        done.incrementAndGet();
                        Thread.sleep(10);
                    }
                    return "finished";
                });
        assertEquals("finished", s.value());
        Table t = s.table();
        assertEquals(List.of("t (s)", "done", "twice"), t.columnNames());
        assertTrue(t.rowCount() >= 5, "expected samples every 10 ms over at least 200 ms, got " + t.rowCount());
        assertEquals(0, t.doubleColumn("done").get(0)); // the margin: sampled before the action began
        assertEquals(10, s.last("done"));
        assertEquals(20, s.max("twice"));
        for (int i = 0; i < t.rowCount(); i++) { // one row = one moment: both reads see the same count
            double d = t.doubleColumn("done").get(i), tw = t.doubleColumn("twice").get(i);
            assertTrue(tw == 2 * d || tw == 2 * d + 2, "row " + i + ": " + d + " vs " + tw);
        }
        assertEquals(t.rowCount(), s.series("done").size());
        assertEquals(2, Charts.lines("progress", "count", t).getSeriesMap().size());
        assertEquals(1, Charts.lines("progress", "count", t, "twice").getSeriesMap().size());
    }

    @Test
    void aFailingReadIsMissingAndCounted() {
        AtomicLong n = new AtomicLong();
        Sample.Sampled<Object> s = Sample.every(Duration.ofMillis(10))
                .metric("odd fails", () -> {
                    if (n.incrementAndGet() % 2 == 1) {
                        throw new IllegalStateException("odd");
                    }
                    return n.get();
                })
                .during(() -> {
                    Thread.sleep(100);
                    return null;
                });
        assertTrue(s.errors() > 0);
        assertEquals("odd fails: odd", s.firstError());
        assertTrue(s.table().doubleColumn("odd fails").countMissing() > 0);
        assertEquals(s.table().rowCount() - s.errors(), s.series("odd fails").size());
    }

    @Test
    void badInputSaysWhatToDo() {
        assertThrows(IllegalArgumentException.class, () -> Sample.every(Duration.ZERO));
        assertThrows(IllegalArgumentException.class, () -> Sample.every(Duration.ofMillis(5)).metric("a", () -> 1).metric("a", () -> 2));
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> Sample.every(Duration.ofMillis(5)).during(() -> 1));
        assertTrue(e.getMessage().contains("metric"));
        RuntimeException thrown = assertThrows(IllegalStateException.class, () -> Sample.every(Duration.ofMillis(5)).metric("a", () -> 1)
                .during(() -> {
                    throw new IllegalStateException("the action broke");
                }));
        assertEquals("the action broke", thrown.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Sample.every(Duration.ofMillis(5)).metric("a", () -> 1)
                .during(() -> 1).max("b"));
    }
}
