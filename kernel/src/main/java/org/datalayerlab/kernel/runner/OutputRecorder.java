package org.datalayerlab.kernel.runner;

import com.google.gson.Gson;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonNull;
import com.google.gson.JsonObject;
import com.google.gson.JsonPrimitive;
import org.datalayerlab.kernel.engine.CellEngine;

import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns what the engine emits into nbformat 4 outputs, as a Jupyter front end would store them:
 * consecutive stream text is merged, update_display_data replaces earlier outputs with the same
 * display id (also in earlier cells), binary images become base64 strings.
 * Thread-safe: a cell's background threads may print while it runs.
 */
final class OutputRecorder implements CellEngine.OutputSink {

    private static final Gson GSON = new Gson();

    private final Map<String, List<JsonObject>> byDisplayId = new HashMap<>();
    private JsonArray current = new JsonArray();
    private boolean wroteStderr;
    private boolean clearBeforeNextOutput;

    /** Starts collecting into a new cell's outputs array. */
    synchronized void startCell(JsonArray outputs) {
        current = outputs;
        wroteStderr = false;
        clearBeforeNextOutput = false;
    }

    /** As nbclient stores clear_output: the cell's outputs go now, or (wait) when the next one comes. */
    @Override
    public synchronized void clearOutput(boolean wait) {
        if (wait) {
            clearBeforeNextOutput = true;
        } else {
            clearNow();
        }
    }

    private void clearNow() {
        clearBeforeNextOutput = false;
        while (!current.isEmpty()) {
            current.remove(current.size() - 1);
        }
    }

    private void beforeOutput() {
        if (clearBeforeNextOutput) {
            clearNow();
        }
    }

    synchronized boolean wroteStderr() {
        return wroteStderr;
    }

    @Override
    public synchronized void stdout(String text) {
        stream("stdout", text);
    }

    @Override
    public synchronized void stderr(String text) {
        if (!text.isEmpty()) wroteStderr = true;
        stream("stderr", text);
    }

    private void stream(String name, String text) {
        if (text == null || text.isEmpty()) return;
        beforeOutput();
        if (!current.isEmpty()) {
            JsonObject last = current.get(current.size() - 1).getAsJsonObject();
            if ("stream".equals(Notebook.stringOr(last, "output_type", ""))
                    && name.equals(Notebook.stringOr(last, "name", ""))) {
                last.addProperty("text", Notebook.multiline(last.get("text")) + text);
                return;
            }
        }
        JsonObject out = new JsonObject();
        out.addProperty("output_type", "stream");
        out.addProperty("name", name);
        out.addProperty("text", text);
        current.add(out);
    }

    @Override
    public synchronized void display(Map<String, Object> mimeBundle, String displayId, boolean update) {
        JsonObject data = mimeData(mimeBundle);
        if (update) {
            // Jupyter front ends replace every earlier output with this id and add nothing new
            for (JsonObject earlier : byDisplayId.getOrDefault(displayId, List.of())) {
                earlier.add("data", data.deepCopy());
            }
            return;
        }
        beforeOutput();
        JsonObject out = new JsonObject();
        out.addProperty("output_type", "display_data");
        out.add("data", data);
        out.add("metadata", new JsonObject());
        current.add(out);
        if (displayId != null) byDisplayId.computeIfAbsent(displayId, k -> new ArrayList<>()).add(out);
    }

    synchronized void executeResult(Map<String, Object> mimeBundle, int executionCount) {
        beforeOutput();
        JsonObject out = new JsonObject();
        out.addProperty("output_type", "execute_result");
        out.addProperty("execution_count", executionCount);
        out.add("data", mimeData(mimeBundle));
        out.add("metadata", new JsonObject());
        current.add(out);
    }

    synchronized void error(String ename, String evalue, List<String> traceback) {
        beforeOutput();
        JsonObject out = new JsonObject();
        out.addProperty("output_type", "error");
        out.addProperty("ename", ename == null ? "Error" : ename);
        out.addProperty("evalue", evalue == null ? "" : evalue);
        JsonArray tb = new JsonArray();
        if (traceback != null) traceback.forEach(tb::add);
        out.add("traceback", tb);
        current.add(out);
    }

    /** A MIME bundle as nbformat stores it: text as strings, binary (PNG) as base64, JSON as JSON. */
    static JsonObject mimeData(Map<String, Object> bundle) {
        JsonObject data = new JsonObject();
        if (bundle == null) return data;
        bundle.forEach((mime, value) -> data.add(mime, mimeValue(mime, value)));
        return data;
    }

    private static JsonElement mimeValue(String mime, Object value) {
        if (value == null) return JsonNull.INSTANCE;
        if (value instanceof byte[] bytes) return new JsonPrimitive(Base64.getEncoder().encodeToString(bytes));
        if (value instanceof JsonElement json) return json;
        if (value instanceof CharSequence text) {
            String s = text.toString();
            // base64 may arrive wrapped in lines; nbformat readers accept both, one string is cleaner
            return new JsonPrimitive(mime.startsWith("image/") && !mime.contains("svg") ? s.replaceAll("\\s", "") : s);
        }
        return GSON.toJsonTree(value);
    }
}
