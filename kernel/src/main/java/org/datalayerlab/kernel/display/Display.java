package org.datalayerlab.kernel.display;

import org.dflib.jjava.jupyter.kernel.display.DisplayData;

import java.util.Map;
import java.util.UUID;

/**
 * The display API cells call without imports (the engine adds a static import), as in
 * IJava/JJava: {@code display(chart)}, {@code display(table, "text/html")},
 * {@code render(x, "image/png")}, {@code updateDisplay(id, newValue)}.
 */
public final class Display {

    private Display() {
    }

    /** Shows {@code value} below the cell now; returns its display id for {@link #updateDisplay}. */
    public static String display(Object value) {
        return display(value, new String[0]);
    }

    /** Shows {@code value} rendered only as the given MIME types (all it supports if none given). */
    public static String display(Object value, String... mimeTypes) {
        String id = UUID.randomUUID().toString();
        DisplayTarget.current().display(bundleOf(value, mimeTypes), id, false);
        return id;
    }

    /** Replaces the output shown under display id {@code id} by {@code value}. */
    public static void updateDisplay(String id, Object value) {
        updateDisplay(id, value, new String[0]);
    }

    public static void updateDisplay(String id, Object value, String... mimeTypes) {
        if (id == null) {
            throw new IllegalArgumentException("updateDisplay needs the id that display(...) returned");
        }
        DisplayTarget.current().display(bundleOf(value, mimeTypes), id, true);
    }

    /** Clears this cell's outputs (IPython's clear_output), for a line or chart that redraws itself. */
    public static void clearOutput() {
        clearOutput(false);
    }

    /** With {@code wait}, the outputs are cleared when the next one arrives, so nothing flickers. */
    public static void clearOutput(boolean wait) {
        DisplayTarget.current().clearOutput(wait);
    }

    /** Renders {@code value} without showing it; a cell ending in render(...) shows the result. */
    public static DisplayData render(Object value, String... mimeTypes) {
        return new Renderers.Bundle(bundleOf(value, mimeTypes));
    }

    private static Map<String, Object> bundleOf(Object value, String... mimeTypes) {
        Map<String, Object> bundle = Renderers.render(value, mimeTypes);
        return bundle.isEmpty() ? Map.of("text/plain", String.valueOf(value)) : bundle;
    }
}
