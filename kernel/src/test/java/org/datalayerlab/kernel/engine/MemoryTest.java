package org.datalayerlab.kernel.engine;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A long session of redefinitions must not keep every old value alive. */
class MemoryTest {

    @Test
    void redefiningVariablesAndClassesStaysBounded() throws Exception {
        try (JShellEngine engine = new JShellEngine(Path.of("."))) {
            long before = usedHeapAfterGc();
            for (int i = 0; i < 300; i++) {
                CellEngine.CellResult r = engine.execute(
                        "var big = new byte[5_000_000];\n"
                                + "class Holder { byte[] data = new byte[10_000]; int version = " + i + "; }\n"
                                + "var holder = new Holder();\n"
                                + "new byte[2_000_000]", new RecordingSink());
                assertEquals(CellEngine.CellResult.Status.OK, r.status(), () -> String.valueOf(r.error()));
            }
            long after = usedHeapAfterGc();
            long grewMb = (after - before) / (1024 * 1024);
            System.out.println("heap growth over 300 redefining cells: " + grewMb + " MB (without release: ~2100 MB)");
            assertTrue(after < 300L * 1024 * 1024, "used heap after 300 cells: " + after / (1024 * 1024) + " MB");
            CellEngine.CellResult last = engine.execute("holder.version + big.length", new RecordingSink());
            assertEquals(String.valueOf(299 + 5_000_000), last.executeResult().get("text/plain"));
        }
    }

    private static long usedHeapAfterGc() throws InterruptedException {
        Runtime rt = Runtime.getRuntime();
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(100);
        }
        return rt.totalMemory() - rt.freeMemory();
    }
}
