package org.datalayerlab.lab.measure;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SamplerTest {

    @Test
    void samplesEveryPeriodOnABackgroundThread() throws Exception {
        AtomicLong counter = new AtomicLong();
        TimeSeries series;
        try (Sampler sampler = Sampler.start("counter", Duration.ofMillis(20), counter::incrementAndGet)) {
            Thread.sleep(500);
            series = sampler.stop();
        }
        assertTrue(series.size() >= 15 && series.size() <= 30, "about 25 samples, got " + series.size());
        double[] t = series.seconds();
        double[] v = series.values();
        for (int i = 1; i < t.length; i++) {
            assertTrue(t[i] > t[i - 1]);
            assertTrue(v[i] > v[i - 1]);
        }
        assertEquals(0.02 * (t.length - 1), t[t.length - 1] - t[0], 0.05);
        assertEquals(series.size(), series.table().rowCount());
        assertEquals(series.size(), counter.get(), "no sample after stop()");
    }

    @Test
    void failingSamplesAreCountedNotKept() throws Exception {
        AtomicLong calls = new AtomicLong();
        Sampler sampler = Sampler.start("flaky", Duration.ofMillis(10), () -> {
            if (calls.incrementAndGet() % 2 == 0) {
                throw new IllegalStateException("replica unreachable");
            }
            return 1;
        });
        Thread.sleep(200);
        TimeSeries series = sampler.stop();
        assertTrue(series.errors() > 0);
        assertEquals("replica unreachable", series.firstError());
        assertEquals(calls.get(), series.size() + series.errors());
        assertEquals(1.0, series.mean());
    }

    @Test
    void badPeriodIsExplained() {
        assertThrows(IllegalArgumentException.class, () -> Sampler.start("x", Duration.ZERO, () -> 1));
    }
}
