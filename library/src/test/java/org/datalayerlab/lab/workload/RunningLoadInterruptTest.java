package org.datalayerlab.lab.workload;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.datalayerlab.lab.measure.Result;
import org.junit.jupiter.api.Test;

/**
 * A notebook's interrupt button interrupts the cell's thread while it waits in await(): the run
 * must stop, and its result must hold every operation the workers finished, merged only once
 * no worker writes any more.
 */
class RunningLoadInterruptTest {

    @Test
    void awaitAfterAnInterruptWaitsForTheWorkersBeforeMerging() throws Exception {
        AtomicLong finished = new AtomicLong();
        RunningLoad load = Driver.closedLoop(Workload.of("slow", () -> {
            Thread.sleep(300);
            finished.incrementAndGet();
        })).threads(2).duration(Duration.ofSeconds(30)).start();
        Thread.sleep(100); // both workers are inside their first operation
        Thread.currentThread().interrupt();
        Result r;
        try {
            r = load.await();
        } finally {
            assertTrue(Thread.interrupted(), "await keeps the caller's interrupt flag set");
        }
        long finishedAtReturn = finished.get();
        Thread.sleep(600);
        assertEquals(finishedAtReturn, finished.get(), "a worker still ran an operation after await() returned");
        assertEquals(finishedAtReturn, r.operations(), "the result holds every operation the workers finished: " + r);
        assertFalse(Thread.getAllStackTraces().keySet().stream()
                .anyMatch(t -> t.getName().startsWith("lab-driver-") && !t.getName().equals("lab-driver-timeline") && t.isAlive()),
                "driver threads still run after await() returned");
    }
}
