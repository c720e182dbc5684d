package org.datalayerlab.kernel.display;

import java.util.Map;
import java.util.UUID;

/**
 * A line of text that updates in place while a long cell runs (a workload's progress), for library
 * code that cannot depend on the kernel: it finds this class by name. Shown only where someone
 * watches (JupyterLab, Notebook); the headless runner and silent requests get nothing, so no
 * progress lands in saved outputs or on stderr.
 */
public final class Live {

    private Live() {
    }

    /** Shows {@code text} below the running cell; returns the id to update it, or null if not shown. */
    public static String show(String text) {
        DisplayTarget.Receiver receiver = DisplayTarget.currentOrNull();
        if (receiver == null || !receiver.live()) {
            return null;
        }
        String id = UUID.randomUUID().toString();
        receiver.display(Map.of("text/plain", text), id, false);
        return id;
    }

    /** Replaces the line {@link #show} returned {@code id} for; does nothing for a null id. */
    public static void update(String id, String text) {
        DisplayTarget.Receiver receiver = DisplayTarget.currentOrNull();
        if (id != null && receiver != null) {
            receiver.display(Map.of("text/plain", text), id, true);
        }
    }
}
