package org.datalayerlab.lab;

/** LAB_SCALE: {@code ci} (default: small and quick) or {@code full} (bigger, smoother curves). */
public final class Scale {

    private Scale() {
    }

    /** "ci" or "full". */
    public static String current() {
        return LabConfig.current().scale();
    }

    public static boolean isFull() {
        return current().equals("full");
    }

    /** {@code ciValue} at LAB_SCALE=ci, {@code fullValue} at full: {@code int rows = Scale.pick(10_000, 1_000_000);} */
    public static <T> T pick(T ciValue, T fullValue) {
        return isFull() ? fullValue : ciValue;
    }

    public static int pick(int ciValue, int fullValue) {
        return isFull() ? fullValue : ciValue;
    }

    public static long pick(long ciValue, long fullValue) {
        return isFull() ? fullValue : ciValue;
    }

    public static double pick(double ciValue, double fullValue) {
        return isFull() ? fullValue : ciValue;
    }
}
