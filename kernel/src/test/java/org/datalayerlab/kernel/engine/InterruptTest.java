package org.datalayerlab.kernel.engine;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class InterruptTest {

    static JShellEngine engine;

    @BeforeAll
    static void start() {
        engine = new JShellEngine(Path.of("."));
        engine.execute("int warm = 1;", new RecordingSink());
    }

    @AfterAll
    static void stop() {
        engine.close();
    }

    /** Starts {@code code}, interrupts it once it runs, and returns how long the stop took (ms). */
    private static long interruptAfterStart(String code) throws Exception {
        RecordingSink sink = new RecordingSink();
        CompletableFuture<CellEngine.CellResult> running =
                CompletableFuture.supplyAsync(() -> engine.execute(code, sink));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!sink.out.toString().contains("started") && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertTrue(sink.out.toString().contains("started"), "the cell did not start");
        Thread.sleep(200); // let it settle into the loop or the sleep
        long t0 = System.nanoTime();
        engine.interrupt();
        CellEngine.CellResult result = running.get(30, TimeUnit.SECONDS);
        long stopMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
        assertEquals(CellEngine.CellResult.Status.INTERRUPTED, result.status());
        assertEquals("Interrupted", result.error().ename());
        System.out.println("interrupt of " + code.replace('\n', ' ') + " took " + stopMillis + " ms");
        // the next cell runs normally
        CellEngine.CellResult next = engine.execute("1 + 1", new RecordingSink());
        assertEquals(CellEngine.CellResult.Status.OK, next.status());
        assertEquals("2", next.executeResult().get("text/plain"));
        return stopMillis;
    }

    @Test
    void busyLoopStops() throws Exception {
        long ms = interruptAfterStart("System.out.println(\"started\");\nlong n = 0;\nwhile (true) { n++; }");
        assertTrue(ms < 1000, "busy loop took " + ms + " ms to stop");
    }

    @Test
    void sleepStops() throws Exception {
        long ms = interruptAfterStart("System.out.println(\"started\");\nThread.sleep(60_000);");
        assertTrue(ms < 1000, "sleep took " + ms + " ms to stop");
    }

    @Test
    void loopThatSwallowsInterruptsStops() throws Exception {
        long ms = interruptAfterStart("System.out.println(\"started\");\n"
                + "while (true) { try { Thread.sleep(50); } catch (Throwable e) { } }");
        assertTrue(ms < 1000, "swallowing loop took " + ms + " ms to stop");
    }

    @Test
    void loopInsideAUserMethodStops() throws Exception {
        engine.execute("void spin() { for (;;) { Math.sqrt(2); } }", new RecordingSink());
        long ms = interruptAfterStart("System.out.println(\"started\");\nspin();");
        assertTrue(ms < 1000, "method loop took " + ms + " ms to stop");
    }

    @Test
    void interruptWhileIdleDoesNotAffectTheNextCell() {
        engine.interrupt();
        CellEngine.CellResult next = engine.execute("2 * 21", new RecordingSink());
        assertEquals("42", next.executeResult().get("text/plain"));
    }
}
