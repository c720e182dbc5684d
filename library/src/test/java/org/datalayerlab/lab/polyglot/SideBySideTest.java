package org.datalayerlab.lab.polyglot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.datalayerlab.lab.measure.Result;
import org.junit.jupiter.api.Test;

class SideBySideTest {

    @Test
    void everyStoreAnswersOncePerRoundAndTheSlowOneShows() {
        AtomicInteger fast = new AtomicInteger();
        List<Result> results = SideBySide.question("q")
                .store("fast", fast::incrementAndGet)
                .store("slow", () -> Thread.sleep(2))
                .run(Duration.ZERO, Duration.ofSeconds(10), 50);
        assertEquals("fast | q", results.get(0).label());
        assertEquals("slow | q", results.get(1).label());
        assertEquals(50, results.get(0).operations());
        assertEquals(50, results.get(0).histogram().getTotalCount());
        assertEquals(50, results.get(1).histogram().getTotalCount());
        assertTrue(fast.get() >= 50, "warm-up answers count too: " + fast.get());
        assertTrue(results.get(1).p50() >= 2, "slow p50 " + results.get(1).p50());
        assertTrue(results.get(0).p50() < results.get(1).p50());
    }

    @Test
    void eachStoreWarmsUpAloneAsOftenAsAsked() {
        AtomicInteger a = new AtomicInteger(), b = new AtomicInteger();
        SideBySide.question("q").store("a", a::incrementAndGet).store("b", b::incrementAndGet)
                .warmupAnswers(500).run(Duration.ZERO, Duration.ofSeconds(10), 10);
        assertTrue(a.get() >= 510 && b.get() >= 510, a.get() + " and " + b.get());
        assertThrows(IllegalArgumentException.class, () -> SideBySide.question("q").warmupAnswers(0));
    }

    @Test
    void everyPacesTheRounds() {
        long t0 = System.nanoTime();
        List<Result> results = SideBySide.question("q").store("s", () -> { }).every(Duration.ofMillis(5))
                .run(Duration.ZERO, Duration.ofSeconds(10), 20);
        double ms = (System.nanoTime() - t0) / 1e6;
        assertEquals(20, results.get(0).operations());
        assertTrue(ms >= 19 * 5, "20 rounds 5 ms apart took " + ms + " ms");
    }

    @Test
    void aFailingAnswerNamesTheStoreAndBadInputIsExplained() {
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> SideBySide.question("top 10")
                .store("Redis", () -> { throw new java.io.IOException("connection refused"); })
                .run(Duration.ZERO, Duration.ofSeconds(1), 1));
        assertTrue(e.getMessage().contains("Redis failed to answer \"top 10\""), e.getMessage());
        assertThrows(IllegalStateException.class, () -> SideBySide.question("q").run(Duration.ZERO, Duration.ofSeconds(1), 1));
        assertThrows(IllegalArgumentException.class, () -> SideBySide.question("q").store("a", () -> { }).store("a", () -> { }));
        assertThrows(IllegalArgumentException.class, () -> SideBySide.question(" "));
    }
}
