package org.datalayerlab.kernel.display;

import org.dflib.jjava.jupyter.kernel.display.DisplayData;

import org.dflib.jjava.jupyter.kernel.display.mime.MIMEType;

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

    /**
     * The bundle for {@code value}, limited to {@code mimeTypes} when any are given; empty for null.
     * As in IJava/JJava: a requested type may be a wildcard ("image/*"); a CharSequence renders as
     * any requested type (its text is the content: {@code display("<b>x</b>", "text/html")});
     * a requested type the value cannot render as is left out, not an error.
     */
    public static Map<String, Object> render(Object value, String... mimeTypes) {
        Map<String, Object> all = renderAll(value);
        if (mimeTypes == null || mimeTypes.length == 0 || all.isEmpty()) {
            return all;
        }
        Map<String, Object> chosen = new LinkedHashMap<>();
        for (String wanted : mimeTypes) {
            if (wanted == null || wanted.isBlank()) {
                continue;
            }
            String type = wanted.strip();
            if (type.endsWith("/*") || type.equals("*")) {
                String prefix = type.equals("*") ? "" : type.substring(0, type.length() - 1);
                all.forEach((mime, data) -> {
                    if (mime.startsWith(prefix)) {
                        chosen.putIfAbsent(mime, data);
                    }
                });
            } else if (all.containsKey(type)) {
                chosen.putIfAbsent(type, all.get(type));
            } else if (value instanceof CharSequence) {
                chosen.putIfAbsent(type, value.toString());
            }
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

    /** The MIME types a DisplayData built by hand is read for (the base offers no listing of its data). */
    static final List<String> KNOWN_TYPES = List.of("text/plain", "text/html", "text/markdown", "text/latex",
            "image/png", "image/jpeg", "image/gif", "image/svg+xml", "application/json", "application/javascript",
            "application/pdf");

    private static Map<String, Object> dataOf(DisplayData displayData) {
        if (displayData instanceof Bundle bundle) {
            return bundle.data();
        }
        Map<String, Object> data = new LinkedHashMap<>();
        for (String type : KNOWN_TYPES) {
            Object value = displayData.getData(MIMEType.parse(type));
            if (value != null) {
                data.put(type, value);
            }
        }
        return data;
    }

    /** What render(...) returns: a DisplayData (as IJava's) that also keeps its bundle readable. */
    static final class Bundle extends DisplayData {
        private final Map<String, Object> data;

        Bundle(Map<String, Object> data) {
            this.data = new LinkedHashMap<>(data);
            data.forEach(this::putData);
        }

        Map<String, Object> data() {
            return data;
        }
    }
}
