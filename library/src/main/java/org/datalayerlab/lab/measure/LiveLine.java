package org.datalayerlab.lab.measure;

import java.lang.reflect.Method;

/**
 * A line under the running cell that updates in place (a long workload's progress). It goes
 * through the Data Layer Lab kernel's {@code Live} display, found by name so the library needs no
 * kernel: elsewhere (another kernel, plain Java, the headless runner) nothing is shown, and nothing
 * is ever written to stderr.
 */
public final class LiveLine {

    private static final String KERNEL_LIVE = "org.datalayerlab.kernel.display.Live";
    private static final LiveLine NONE = new LiveLine(null, null);

    private final Method update;
    private final String id;

    private LiveLine(Method update, String id) {
        this.update = update;
        this.id = id;
    }

    /** Shows {@code text} when a notebook front end is watching; otherwise a line that shows nothing. */
    public static LiveLine show(String text) {
        try {
            Class<?> live = Class.forName(KERNEL_LIVE, true, LiveLine.class.getClassLoader());
            String id = (String) live.getMethod("show", String.class).invoke(null, text);
            return id == null ? NONE : new LiveLine(live.getMethod("update", String.class, String.class), id);
        } catch (ReflectiveOperationException | LinkageError | RuntimeException e) {
            return NONE; // not in this kernel, or no cell running: progress is a nicety, never a failure
        }
    }

    /** Replaces the line's text. */
    public void update(String text) {
        if (id == null) {
            return;
        }
        try {
            update.invoke(null, id, text);
        } catch (ReflectiveOperationException | RuntimeException e) {
            // the cell ended or the kernel went away: nothing to update
        }
    }
}
