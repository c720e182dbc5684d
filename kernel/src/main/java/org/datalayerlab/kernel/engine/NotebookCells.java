package org.datalayerlab.kernel.engine;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

import java.util.ArrayList;
import java.util.List;

/** Reads the code cells of an nbformat 4 notebook (for %load of an .ipynb). */
final class NotebookCells {

    private NotebookCells() {
    }

    static List<String> codeCells(String notebookJson) {
        JsonObject notebook = JsonParser.parseString(notebookJson).getAsJsonObject();
        JsonArray cells = notebook.getAsJsonArray("cells");
        if (cells == null) {
            throw new IllegalArgumentException("no \"cells\" array (nbformat 4 expected)");
        }
        List<String> code = new ArrayList<>();
        for (JsonElement element : cells) {
            JsonObject cell = element.getAsJsonObject();
            if ("code".equals(cell.get("cell_type").getAsString())) {
                code.add(sourceOf(cell.get("source")));
            }
        }
        return code;
    }

    /** nbformat stores source as one string or as a list of lines. */
    private static String sourceOf(JsonElement source) {
        if (source == null || source.isJsonNull()) {
            return "";
        }
        if (source.isJsonArray()) {
            StringBuilder text = new StringBuilder();
            source.getAsJsonArray().forEach(line -> text.append(line.getAsString()));
            return text.toString();
        }
        return source.getAsString();
    }
}
