package org.datalayerlab.kernel.display;

import java.util.Map;

/**
 * Where display() sends its output: the sink of the cell that is running. The engine attaches
 * one while a cell runs; outside a cell, display() has nowhere to go and says so.
 */
public final class DisplayTarget {

    /** Receives display_data (update=false) and update_display_data (update=true). */
    public interface Receiver {
        void display(Map<String, Object> bundle, String displayId, boolean update);

        /** clear_output: drop the cell's outputs now, or (wait) when the next output arrives. */
        void clearOutput(boolean wait);

        /** True when a person watches the outputs as they come (a Jupyter front end), not a headless run. */
        default boolean live() {
            return false;
        }
    }

    private static volatile Receiver current;

    private DisplayTarget() {
    }

    /** For the engine: routes display() calls to {@code receiver} until {@link #detach}. */
    public static void attach(Receiver receiver) {
        current = receiver;
    }

    public static void detach(Receiver receiver) {
        if (current == receiver) {
            current = null;
        }
    }

    static Receiver currentOrNull() {
        return current;
    }

    static Receiver current() {
        Receiver receiver = current;
        if (receiver == null) {
            throw new IllegalStateException("display() works only while a notebook cell runs");
        }
        return receiver;
    }
}
