package org.datalayerlab.lab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.datalayerlab.lab.measure.Result;
import org.junit.jupiter.api.Test;

/** Check prints one line per check and fails with that same line. */
class CheckTest {

    private String printed(Runnable checks) {
        PrintStream old = System.out;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        try {
            checks.run();
        } finally {
            System.setOut(old);
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    @Test
    void passingChecksPrintWhatWasMeasuredAndTheBound() {
        String out = printed(() -> {
            Check.atLeast("remote_apply commit p50 (ms)", 20.61, 18);
            Check.below("off commit p50 (ms)", 0.0412, 10);
            Check.equal("acknowledged commits", 100L, 100);
            Check.between("moved keys (%)", 24.9, 15, 35);
        });
        assertEquals("""
                PASS  remote_apply commit p50 (ms): 20.6, expected >= 18
                PASS  off commit p50 (ms): 0.0412, expected < 10
                PASS  acknowledged commits: 100, expected 100
                PASS  moved keys (%): 24.9, expected between 15 and 35
                """, out);
    }

    @Test
    void aFailingCheckFailsWithTheLineItPrinted() {
        String[] message = new String[1];
        String out = printed(() -> message[0] = assertThrows(AssertionError.class,
                () -> Check.atMost("stale reads with the fix", 3, 0)).getMessage());
        assertEquals("FAIL  stale reads with the fix: 3, expected <= 0", message[0]);
        assertEquals(message[0] + "\n", out);
    }

    @Test
    void noErrorsNamesTheRunAndItsFirstError() {
        Result bad = new Result("burst", "open", 10, 2, "connection refused", 1.0, new org.HdrHistogram.Histogram(3),
                java.util.Map.of(), java.util.List.of(), java.util.List.of(), 0);
        AssertionError e = assertThrows(AssertionError.class, () -> printed(() -> Check.noErrors(bad)));
        assertEquals("FAIL  errors in \"burst\": 2 (first: connection refused), expected 0", e.getMessage());
        assertThrows(AssertionError.class, () -> printed(() -> Check.that("lag shrinks", false, "1 MB", "0 MB")));
    }

    @Test
    void numbersReadNaturally() {
        assertEquals("3", Check.format(3.0));
        assertEquals("0.5", Check.format(0.5));
        assertEquals("123", Check.format(123.4));
        assertEquals("1.23", Check.format(1.2345));
        assertEquals("1.23e+07", Check.format(12_345_678.9));
        assertTrue(Check.format(Double.NaN).contains("NaN"));
    }
}
