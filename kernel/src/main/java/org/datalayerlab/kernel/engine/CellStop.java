package org.datalayerlab.kernel.engine;

/**
 * The stop flag that interrupts a running cell. The engine instruments every class that cells
 * define so that each method entry and each backward branch (every loop iteration) calls
 * {@link #check()}; that stops busy loops without Thread.stop (which JDK 20+ no longer supports).
 * Public because the instrumented user classes live in another class loader.
 */
public final class CellStop {

    private static volatile boolean requested;

    private CellStop() {
    }

    /** Called by instrumented cell code: throws when the running cell was asked to stop. */
    public static void check() {
        if (requested) {
            throw new CellInterrupted();
        }
    }

    static void request() {
        requested = true;
    }

    static void clear() {
        requested = false;
    }

    static boolean isRequested() {
        return requested;
    }

    /** Thrown into cell code to unwind it; an Error so that {@code catch (Exception e)} does not swallow it. */
    public static final class CellInterrupted extends Error {
        CellInterrupted() {
            super("the cell was interrupted", null, false, false);
        }
    }
}
