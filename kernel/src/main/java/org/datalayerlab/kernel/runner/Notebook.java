package org.datalayerlab.kernel.runner;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;

/**
 * An nbformat 4 notebook as JSON. Everything the runner does not touch (metadata, attachments,
 * cell ids) is kept as it was, so the executed copy still opens with the notebook's kernel.
 */
public final class Notebook {

    private static final Gson PRETTY = new GsonBuilder().setPrettyPrinting().disableHtmlEscaping().serializeNulls().create();

    private final JsonObject json;

    private Notebook(JsonObject json) {
        this.json = json;
    }

    /** Reads a notebook; a file that is not nbformat 4 JSON gets an error saying so. */
    public static Notebook read(Path file) throws IOException {
        String text = Files.readString(file, StandardCharsets.UTF_8);
        JsonElement parsed;
        try {
            parsed = JsonParser.parseString(text);
        } catch (JsonParseException e) {
            throw new IOException(file + " is not valid JSON (" + e.getMessage() + "); is it a notebook?", e);
        }
        if (!parsed.isJsonObject() || !parsed.getAsJsonObject().has("cells")
                || !parsed.getAsJsonObject().has("nbformat")) {
            throw new IOException(file + " is not a Jupyter notebook (no \"cells\"/\"nbformat\" fields)");
        }
        JsonObject json = parsed.getAsJsonObject();
        int major = json.get("nbformat").getAsInt();
        if (major != 4) {
            throw new IOException(file + " is nbformat " + major + "; only nbformat 4 is supported"
                    + " (convert it with: jupyter nbconvert --to notebook " + file.getFileName() + ")");
        }
        return new Notebook(json);
    }

    /** A deep copy, to change without touching this one. */
    public Notebook copy() {
        return new Notebook(json.deepCopy());
    }

    public JsonObject json() {
        return json;
    }

    public JsonArray cells() {
        return json.getAsJsonArray("cells");
    }

    public int cellCount() {
        return cells().size();
    }

    public JsonObject cell(int index) {
        return cells().get(index).getAsJsonObject();
    }

    public static boolean isCode(JsonObject cell) {
        return "code".equals(stringOr(cell, "cell_type", ""));
    }

    public long codeCellCount() {
        long n = 0;
        for (JsonElement c : cells()) {
            if (isCode(c.getAsJsonObject())) n++;
        }
        return n;
    }

    /** nbformat stores text either as one string or as a list of lines: this joins both. */
    public static String source(JsonObject cell) {
        return multiline(cell.get("source"));
    }

    public static String multiline(JsonElement e) {
        if (e == null || e.isJsonNull()) return "";
        if (e.isJsonPrimitive()) return e.getAsString();
        StringBuilder sb = new StringBuilder();
        for (JsonElement line : e.getAsJsonArray()) sb.append(line.getAsString());
        return sb.toString();
    }

    public static String stringOr(JsonObject o, String key, String fallback) {
        JsonElement e = o.get(key);
        return e == null || e.isJsonNull() ? fallback : e.getAsString();
    }

    /** Clears outputs and execution counts of every code cell (before a fresh run). */
    public void clearOutputs() {
        for (JsonElement c : cells()) {
            JsonObject cell = c.getAsJsonObject();
            if (isCode(cell)) {
                cell.add("outputs", new JsonArray());
                cell.add("execution_count", null);
            }
        }
    }

    /** Writes atomically (temp file + move) so a reader never sees half a notebook. */
    public void write(Path file) throws IOException {
        Path dir = file.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Path tmp = Files.createTempFile(dir, ".nb-", ".tmp");
        Files.writeString(tmp, PRETTY.toJson(json) + "\n", StandardCharsets.UTF_8);
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    /** The notebook files in {@code dir} (*.ipynb, not checkpoints), in name order. */
    public static List<Path> listIn(Path dir) throws IOException {
        List<Path> found = new ArrayList<>();
        if (!Files.isDirectory(dir)) return found;
        try (var s = Files.list(dir)) {
            s.filter(p -> p.getFileName().toString().endsWith(".ipynb"))
                    .filter(Files::isRegularFile)
                    .sorted()
                    .forEach(found::add);
        }
        return found;
    }
}
