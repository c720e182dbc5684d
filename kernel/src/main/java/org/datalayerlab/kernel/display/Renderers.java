package org.datalayerlab.kernel.display;

import org.dflib.jjava.jupyter.kernel.display.DisplayData;

import org.dflib.jjava.jupyter.kernel.display.mime.MIMEType;

import java.util.LinkedHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;
import java.util.List;
import java.util.Map;

/**
 * Turns a cell value into a Jupyter MIME bundle: images and XChart charts as image/png (base64),
 * Tablesaw tables as text/html, everything with a text/plain fallback. Renderers are registrations
 * by class name: XChart and Tablesaw are not on the kernel's class path but on the cells' (the
 * notebook's %jars or %maven), so the notebook's versions are the ones rendered.
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

    /** One renderer: values whose class (or a superclass or interface) has this name get this bundle. */
    private record Registration(String className, Function<Object, Map<String, Object>> renderer) {}

    /** Checked in order; {@link #register} puts new ones first. Types go by name: see the class comment. */
    private static final List<Registration> REGISTRATIONS = new CopyOnWriteArrayList<>(List.of(
            new Registration(DisplayData.class.getName(), v -> dataOf((DisplayData) v)),
            new Registration(XCHART_CHART, v -> bundle("image/png", ChartImages.chartPngBase64(v),
                    "text/plain", ChartImages.describeChart(v))),
            new Registration("java.awt.Image", v -> bundle("image/png", ChartImages.imagePngBase64(v),
                    "text/plain", ChartImages.describeImage(v))),
            new Registration(TABLESAW_TABLE, v -> bundle("text/html", TableHtml.html(v),
                    "text/plain", TableHtml.text(v)))));

    /** Adds a renderer for values of the class (or subclasses of) {@code className}; it wins over earlier ones. */
    public static void register(String className, Function<Object, Map<String, Object>> renderer) {
        REGISTRATIONS.add(0, new Registration(className, renderer));
    }

    private static Map<String, Object> bundle(String mime1, Object data1, String mime2, Object data2) {
        Map<String, Object> bundle = new LinkedHashMap<>();
        bundle.put(mime1, data1);
        bundle.put(mime2, data2);
        return bundle;
    }

    private static Map<String, Object> renderAll(Object value) {
        Map<String, Object> bundle = new LinkedHashMap<>();
        if (value == null) {
            return bundle;
        }
        for (Registration registration : REGISTRATIONS) {
            if (isA(value, registration.className())) {
                bundle.putAll(registration.renderer().apply(value));
                return bundle;
            }
        }
        if (value instanceof Map && isMimeBundle((Map<?, ?>) value)) {
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

    /** True if {@code value}'s class, a superclass or an interface has this name (whatever loader holds it). */
    static boolean isA(Object value, String className) {
        for (Class<?> c = value.getClass(); c != null; c = c.getSuperclass()) {
            if (c.getName().equals(className) || implementsNamed(c, className)) {
                return true;
            }
        }
        return false;
    }

    private static boolean implementsNamed(Class<?> type, String className) {
        for (Class<?> i : type.getInterfaces()) {
            if (i.getName().equals(className) || implementsNamed(i, className)) {
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
