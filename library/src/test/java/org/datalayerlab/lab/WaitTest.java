package org.datalayerlab.lab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.SQLException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class WaitTest {

    @Test
    void pollsAtItsIntervalUntilTheConditionHolds() {
        AtomicInteger checks = new AtomicInteger();
        long t0 = System.nanoTime();
        assertTrue(Wait.upTo(Duration.ofSeconds(5)).every(Duration.ofMillis(20)).check(() -> checks.incrementAndGet() == 5));
        double ms = (System.nanoTime() - t0) / 1e6;
        assertEquals(5, checks.get());
        assertTrue(ms >= 80, "four pauses of 20 ms: " + ms);
    }

    @Test
    void aTimeoutFailsWithTheMessageAndTheTime() {
        assertFalse(Wait.upTo(Duration.ofMillis(50)).check(() -> false));
        LabException e = assertThrows(LabException.class,
                () -> Wait.upTo(Duration.ofMillis(50)).until(() -> false, () -> "replica1 did not start streaming"));
        assertEquals("replica1 did not start streaming within 50 ms", e.getMessage());
    }

    @Test
    void aCheckedFailureEndsTheWait() {
        LabException e = assertThrows(LabException.class,
                () -> Wait.upTo(Duration.ofSeconds(5)).check(() -> { throw new SQLException("connection refused"); }));
        assertEquals("connection refused", e.getMessage());
    }

    @Test
    void anInterruptEndsTheWaitAndStaysSet() {
        Thread.currentThread().interrupt();
        try {
            assertThrows(LabException.class, () -> Wait.upTo(Duration.ofSeconds(5)).check(() -> false));
            assertTrue(Thread.currentThread().isInterrupted());
        } finally {
            Thread.interrupted();
        }
    }

    @Test
    void badArgumentsSayWhatIsWrong() {
        assertThrows(IllegalArgumentException.class, () -> Wait.upTo(Duration.ofSeconds(-1)));
        assertThrows(IllegalArgumentException.class, () -> Wait.upTo(Duration.ofSeconds(1)).every(Duration.ZERO));
    }
}
