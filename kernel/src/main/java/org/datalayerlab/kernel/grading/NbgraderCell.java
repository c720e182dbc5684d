package org.datalayerlab.kernel.grading;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonPrimitive;
import org.datalayerlab.kernel.runner.Notebook;

/**
 * Reads a cell's nbgrader metadata ({@code metadata.nbgrader}) with nbgrader's own rules:
 * a grade cell is always locked, a solution cell never is (nbgrader's utils.is_grade, is_solution,
 * is_locked).
 */
final class NbgraderCell {

    private NbgraderCell() {
    }

    /** The cell's {@code metadata.nbgrader} object, or null if it has none. */
    static JsonObject meta(JsonObject cell) {
        JsonElement metadata = cell.get("metadata");
        if (metadata == null || !metadata.isJsonObject()) return null;
        JsonElement nbgrader = metadata.getAsJsonObject().get("nbgrader");
        return nbgrader != null && nbgrader.isJsonObject() ? nbgrader.getAsJsonObject() : null;
    }

    /** The grade_id, or null for a cell that nbgrader does not track. */
    static String gradeId(JsonObject cell) {
        JsonObject m = meta(cell);
        if (m == null) return null;
        JsonElement id = m.get("grade_id");
        return id == null || id.isJsonNull() ? null : id.getAsString();
    }

    static boolean isGrade(JsonObject cell) {
        return truthy(cell, "grade");
    }

    static boolean isSolution(JsonObject cell) {
        return truthy(cell, "solution");
    }

    static boolean isLocked(JsonObject cell) {
        if (meta(cell) == null || isSolution(cell)) return false;
        return isGrade(cell) || truthy(cell, "locked");
    }

    /** nbgrader tracks grade, solution and locked cells (and gives them checksums). */
    static boolean isTracked(JsonObject cell) {
        return gradeId(cell) != null && (isGrade(cell) || isSolution(cell) || isLocked(cell));
    }

    /** The points of a grade cell; NaN if missing or not a number. */
    static double points(JsonObject cell) {
        JsonObject m = meta(cell);
        JsonElement p = m == null ? null : m.get("points");
        if (p == null || !p.isJsonPrimitive()) return Double.NaN;
        try {
            return Double.parseDouble(p.getAsString().trim());
        } catch (NumberFormatException e) {
            return Double.NaN;
        }
    }

    private static boolean truthy(JsonObject cell, String key) {
        JsonObject m = meta(cell);
        JsonElement v = m == null ? null : m.get(key);
        if (v == null || v.isJsonNull() || !v.isJsonPrimitive()) return false;
        JsonPrimitive p = v.getAsJsonPrimitive();
        if (p.isBoolean()) return p.getAsBoolean();
        if (p.isNumber()) return p.getAsDouble() != 0;
        return !p.getAsString().isEmpty();
    }

    /** Replaces a cell's source, stored as nbformat does on disk: a list of lines. */
    static void setSource(JsonObject cell, String text) {
        JsonArray lines = new JsonArray();
        for (String line : text.split("(?<=\n)")) {
            if (!line.isEmpty()) lines.add(line);
        }
        cell.add("source", lines);
    }

    static String source(JsonObject cell) {
        return Notebook.source(cell);
    }

    static String cellType(JsonObject cell) {
        return Notebook.stringOr(cell, "cell_type", "");
    }
}
