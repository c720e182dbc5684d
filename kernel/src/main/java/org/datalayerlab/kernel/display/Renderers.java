package org.datalayerlab.kernel.display;

import org.dflib.jjava.jupyter.kernel.display.DisplayData;

import java.lang.reflect.Field;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns a cell value into a Jupyter MIME bundle: images and XChart charts as image/png (base64),
 * Tablesaw tables as text/html, everything with a text/plain fallback. Types are recognised by
 * class name so XChart, Tablesaw and AWT load only when such a value shows up.
 */
public final class Renderers {

    static final String XCHART_CHART = "org.knowm.xchart.internal.chartpart.Chart";
    static final String TABLESAW_TABLE = "tech.tablesaw.api.Table";

    private Renderers() {
    }

    /** The bundle for {@code value}, limited to {@code mimeTypes} when any are given; empty for null. */
    public static Map<String, Object> render(Object value, String... mimeTypes) {
        Map<String, Object> all = renderAll(value);
        if (mimeTypes == null || mimeTypes.length == 0 || all.isEmpty()) {
            return all;
        }
        List<String> wanted = Arrays.asList(mimeTypes);
        Map<String, Object> chosen = new LinkedHashMap<>();
        all.forEach((mime, data) -> {
            if (wanted.contains(mime)) {
                chosen.put(mime, data);
            }
        });
        if (chosen.isEmpty()) {
            throw new IllegalArgumentException("cannot render " + value.getClass().getName() + " as "
                    + wanted + "; it renders as " + all.keySet());
        }
        return chosen;
    }

    private static Map<String, Object> renderAll(Object value) {
        Map<String, Object> bundle = new LinkedHashMap<>();
        if (value == null) {
            return bundle;
        }
        if (value instanceof DisplayData) {
            bundle.putAll(dataOf((DisplayData) value));
        } else if (isA(value, XCHART_CHART)) {
            bundle.put("image/png", ChartImages.chartPngBase64(value));
            bundle.put("text/plain", ChartImages.describeChart(value));
        } else if (isA(value, "java.awt.Image")) {
            bundle.put("image/png", ChartImages.imagePngBase64(value));
            bundle.put("text/plain", ChartImages.describeImage(value));
        } else if (isA(value, TABLESAW_TABLE)) {
            bundle.put("text/html", TableHtml.html(value));
            bundle.put("text/plain", TableHtml.text(value));
        } else if (value instanceof Map && isMimeBundle((Map<?, ?>) value)) {
            ((Map<?, ?>) value).forEach((k, v) -> bundle.put((String) k, v));
        } else {
            bundle.put("text/plain", String.valueOf(value));
        }
        return bundle;
    }

    private static boolean isMimeBundle(Map<?, ?> map) {
        return !map.isEmpty() && map.keySet().stream()
                .allMatch(k -> k instanceof String && ((String) k).matches("[a-z]+/[a-zA-Z0-9.+-]+"));
    }

    /** True if {@code value}'s class or one of its supertypes has this name (whatever loader holds it). */
    static boolean isA(Object value, String className) {
        for (Class<?> c = value.getClass(); c != null; c = c.getSuperclass()) {
            if (c.getName().equals(className)) {
                return true;
            }
        }
        return false;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> dataOf(DisplayData displayData) {
        try {
            Field data = DisplayData.class.getDeclaredField("data");
            data.setAccessible(true);
            return (Map<String, Object>) data.get(displayData);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot read DisplayData", e);
        }
    }
}
