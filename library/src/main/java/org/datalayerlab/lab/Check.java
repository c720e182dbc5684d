package org.datalayerlab.lab;

import java.util.Locale;
import org.datalayerlab.lab.measure.Result;

/**
 * Asserts a lesson on measured numbers, one readable line per check. Each check prints what was
 * checked, the measured value, the bound and PASS or FAIL; a failing check also fails the cell
 * with an {@link AssertionError} carrying that same line. A check cell is then a few lines, and
 * its output is the lesson's summary:
 *
 * <pre>{@code
 * Check.atLeast("remote_apply commit p50 (ms)", commits.get("remote_apply").p50(), 0.9 * rtt);
 * Check.below("off commit p50 (ms)", commits.get("off").p50(), 0.5 * rtt);
 * Check.noErrors(burst);
 * }</pre>
 *
 * prints
 *
 * <pre>
 * PASS  remote_apply commit p50 (ms): 20.6, expected &gt;= 18
 * PASS  off commit p50 (ms): 0.041, expected &lt; 10
 * PASS  errors in "insert 100 rows": 0, expected 0
 * </pre>
 */
public final class Check {

    private Check() {
    }

    /** {@code measured >= bound}. */
    public static void atLeast(String what, double measured, double bound) {
        report(what, measured >= bound, format(measured), ">= " + format(bound));
    }

    /** {@code measured <= bound}. */
    public static void atMost(String what, double measured, double bound) {
        report(what, measured <= bound, format(measured), "<= " + format(bound));
    }

    /** {@code measured > bound}. */
    public static void above(String what, double measured, double bound) {
        report(what, measured > bound, format(measured), "> " + format(bound));
    }

    /** {@code measured < bound}. */
    public static void below(String what, double measured, double bound) {
        report(what, measured < bound, format(measured), "< " + format(bound));
    }

    /** {@code low <= measured <= high}. */
    public static void between(String what, double measured, double low, double high) {
        report(what, measured >= low && measured <= high, format(measured), "between " + format(low) + " and " + format(high));
    }

    /** {@code measured} equals {@code expected} (numbers compare by value, so 100 equals 100L). */
    public static void equal(String what, Object measured, Object expected) {
        boolean ok = measured instanceof Number m && expected instanceof Number e
                ? m.doubleValue() == e.doubleValue()
                : java.util.Objects.equals(measured, expected);
        report(what, ok, show(measured), show(expected));
    }

    /**
     * A condition that is not a single comparison: {@code measured} and {@code expected} say in
     * words what was seen and what the lesson expects, e.g.
     * {@code Check.that("replica2's link is the bottleneck", lag2 > lag1, lag2 + " MB vs " + lag1 + " MB", "replica2 above replica1")}.
     */
    public static void that(String what, boolean ok, String measured, String expected) {
        report(what, ok, measured, expected);
    }

    /** Every operation of every run succeeded; on failure the line carries the first error. */
    public static void noErrors(Result... runs) {
        for (Result r : runs) {
            String measured = r.errors() == 0 ? "0" : r.errors() + " (first: " + r.firstError() + ")";
            report("errors in \"" + r.label() + "\"", r.errors() == 0, measured, "0");
        }
    }

    private static void report(String what, boolean ok, String measured, String expected) {
        String line = (ok ? "PASS  " : "FAIL  ") + what + ": " + measured + ", expected " + expected;
        System.out.println(line);
        if (!ok) {
            throw new AssertionError(line);
        }
    }

    private static String show(Object value) {
        return value instanceof Number n ? format(n.doubleValue()) : String.valueOf(value);
    }

    /** Whole numbers without decimals, others with three significant digits (but no exponent below a million). */
    static String format(double v) {
        if (Double.isNaN(v) || Double.isInfinite(v)) {
            return String.valueOf(v);
        }
        if (v == Math.rint(v) && Math.abs(v) < 1e15) {
            return String.valueOf((long) v);
        }
        double a = Math.abs(v);
        if (a >= 1e6 || a < 1e-4) {
            return String.format(Locale.ROOT, "%.3g", v);
        }
        int decimals = Math.max(0, 2 - (int) Math.floor(Math.log10(a)));
        return new java.math.BigDecimal(String.format(Locale.ROOT, "%." + decimals + "f", v)).stripTrailingZeros().toPlainString();
    }
}
