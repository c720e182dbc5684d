package org.datalayerlab.kernel.grading;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import org.datalayerlab.kernel.runner.Notebook;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Autograding as nbgrader does it, in two steps around the run. {@link #prepare} puts the
 * instructor's locked cells (with their hidden tests) back into a submission by grade_id, so a
 * student cannot change a test, and notes edited, deleted, reordered or unknown graded cells.
 * {@link #score} reads the executed notebook: a graded code cell with an error or ANY stderr
 * output scores 0, otherwise full points. Graded solution cells and graded markdown cells are
 * graded by hand in nbgrader; they are listed as "manual" and not scored here.
 */
public final class Grade {

    private Grade() {
    }

    /** Two notebooks that cannot be graded against each other: the message says why. */
    public static final class GradeException extends Exception {
        GradeException(String message) {
            super(message);
        }
    }

    /**
     * The submission made ready to run.
     *
     * @param notebook the submission with the instructor's locked cells put back
     * @param cellOf   grade_id to the cell index in {@code notebook}, for the source's tracked cells found
     * @param flags    what the instructor should know: edited locked cells, deleted or reordered cells, ...
     */
    public record Prepared(Notebook notebook, Map<String, Integer> cellOf, List<String> flags) {
    }

    /** The score of one graded cell; {@code score} is null for cells graded by hand. */
    public record QuestionResult(String gradeId, Double score, double maxPoints, String status, String message) {
    }

    /** The graded cells of the instructor's notebook, grade_id to cell, in order. */
    static Map<String, JsonObject> trackedCells(Notebook source) {
        Map<String, JsonObject> cells = new LinkedHashMap<>();
        for (JsonElement c : source.cells()) {
            JsonObject cell = c.getAsJsonObject();
            if (NbgraderCell.isTracked(cell)) cells.putIfAbsent(NbgraderCell.gradeId(cell), cell);
        }
        return cells;
    }

    public static Prepared prepare(Notebook source, String sourceName, Notebook submission, String submissionName)
            throws GradeException {
        Map<String, JsonObject> tracked = trackedCells(source);
        if (tracked.values().stream().noneMatch(NbgraderCell::isGrade)) {
            throw new GradeException(sourceName + " has no graded nbgrader cells (\"grade\": true): it is not an"
                    + " instructor's assignment notebook");
        }
        Notebook run = submission.copy();
        run.clearOutputs();
        Map<String, Integer> cellOf = new LinkedHashMap<>();
        List<String> flags = new ArrayList<>();
        List<String> order = new ArrayList<>();
        for (int i = 0; i < run.cellCount(); i++) {
            JsonObject cell = run.cell(i);
            String id = NbgraderCell.gradeId(cell);
            if (id == null) continue;
            String where = "cell " + (i + 1) + " (" + id + ")";
            JsonObject original = tracked.get(id);
            if (original == null || cellOf.containsKey(id)) {
                flags.add(where + ": " + (original == null ? "a grade_id the instructor's notebook does not have"
                        : "a second cell with this grade_id") + "; run as an ordinary cell, not scored");
                cell.getAsJsonObject("metadata").remove("nbgrader");
                continue;
            }
            cellOf.put(id, i);
            order.add(id);
            JsonObject restored = NbgraderCell.isLocked(original)
                    ? restoreLocked(original, cell, where, flags)
                    : restoreMetadata(original, cell, where, flags);
            run.cells().set(i, restored);
        }
        if (cellOf.isEmpty()) {
            throw new GradeException(submissionName + " has no nbgrader cell of " + sourceName
                    + " (no grade_id in common): is it a notebook of another course or assignment?"
                    + " Pass the right instructor notebook with --source");
        }
        for (String id : tracked.keySet()) {
            if (cellOf.containsKey(id)) continue;
            JsonObject original = tracked.get(id);
            String what = NbgraderCell.isGrade(original) ? "graded cell" : NbgraderCell.isSolution(original)
                    ? "answer cell" : "locked cell";
            flags.add(id + ": the " + what + " was deleted from the submission"
                    + (NbgraderCell.isGrade(original) ? "; it scores 0" : ""));
        }
        List<String> expected = new ArrayList<>(tracked.keySet());
        expected.retainAll(order);
        if (!expected.equals(order)) {
            flags.add("nbgrader cells were reordered: the submission has " + String.join(", ", order)
                    + "; the instructor's order is " + String.join(", ", expected)
                    + " (run in the submission's order)");
        }
        return new Prepared(run, cellOf, flags);
    }

    /** A locked cell runs as the instructor wrote it (hidden tests included), whatever the student did. */
    private static JsonObject restoreLocked(JsonObject original, JsonObject submitted, String where, List<String> flags) {
        // unchanged means as released, or as the instructor wrote it (grading the instructor's own copy)
        String checksum = NbgraderChecksum.of(submitted);
        if (!checksum.equals(releasedChecksum(original)) && !checksum.equals(NbgraderChecksum.of(original))) {
            flags.add(where + ": a locked cell was edited (its checksum differs from the released one);"
                    + " graded with the instructor's version");
        }
        JsonObject restored = original.deepCopy();
        if (submitted.has("id")) restored.add("id", submitted.get("id"));
        clearOutputs(restored);
        return restored;
    }

    /** The checksum of the cell as the student received it. */
    private static String releasedChecksum(JsonObject original) {
        try {
            return NbgraderChecksum.of(Release.studentCell(original));
        } catch (Release.ReleaseException e) {
            // the grade command checks the instructor's notebook with Release before grading
            throw new IllegalStateException("the instructor's notebook is not a valid assignment: " + e.getMessage(), e);
        }
    }

    /** An answer cell keeps the student's source but the instructor's nbgrader metadata (points, flags). */
    private static JsonObject restoreMetadata(JsonObject original, JsonObject submitted, String where,
                                              List<String> flags) {
        JsonObject restored = submitted.deepCopy();
        String type = NbgraderCell.cellType(original);
        if (!type.equals(NbgraderCell.cellType(submitted))) {
            flags.add(where + ": the cell type was changed to " + NbgraderCell.cellType(submitted)
                    + "; graded as " + type);
            restored.addProperty("cell_type", type);
            restored.remove("outputs");
            restored.remove("execution_count");
        }
        if (!restored.has("metadata")) restored.add("metadata", new JsonObject());
        restored.getAsJsonObject("metadata").add("nbgrader", NbgraderCell.meta(original).deepCopy());
        clearOutputs(restored);
        return restored;
    }

    private static void clearOutputs(JsonObject cell) {
        if (Notebook.isCode(cell)) {
            cell.add("outputs", new JsonArray());
            cell.add("execution_count", null);
        } else {
            cell.remove("outputs");
            cell.remove("execution_count");
        }
    }

    /** Scores every graded cell of the instructor's notebook from the executed submission. */
    public static List<QuestionResult> score(Notebook source, Prepared prepared, Notebook executed) {
        List<QuestionResult> results = new ArrayList<>();
        for (Map.Entry<String, JsonObject> e : trackedCells(source).entrySet()) {
            JsonObject original = e.getValue();
            if (!NbgraderCell.isGrade(original)) continue;
            String id = e.getKey();
            double max = NbgraderCell.points(original);
            Integer index = prepared.cellOf().get(id);
            if (index == null) {
                results.add(new QuestionResult(id, 0.0, max, "deleted", "the graded cell was deleted from the submission"));
            } else if (NbgraderCell.isSolution(original)
                    && NbgraderChecksum.of(prepared.notebook().cell(index)).equals(releasedChecksum(original))) {
                results.add(new QuestionResult(id, 0.0, max, "unanswered",
                        "the answer cell is still as released (nbgrader scores an unchanged answer 0)"));
            } else if (NbgraderCell.isSolution(original) || !Notebook.isCode(original)) {
                results.add(new QuestionResult(id, null, max, "manual",
                        "a graded answer cell: nbgrader grades it by hand; not autograded here"));
            } else {
                results.add(scoreCodeCell(id, max, executed.cell(index)));
            }
        }
        return results;
    }

    private static QuestionResult scoreCodeCell(String id, double max, JsonObject cell) {
        JsonElement count = cell.get("execution_count");
        if (count == null || count.isJsonNull()) {
            return new QuestionResult(id, 0.0, max, "not run",
                    "the cell did not run: an earlier cell stopped the notebook's JVM (see the errors above it)");
        }
        String stderr = null;
        for (JsonElement o : cell.getAsJsonArray("outputs")) {
            JsonObject output = o.getAsJsonObject();
            String type = Notebook.stringOr(output, "output_type", "");
            if (type.equals("error")) {
                String ename = Notebook.stringOr(output, "ename", "Error");
                String status = ename.equals("CellTimeout") || ename.equals("RunnerError") ? "timeout" : "error";
                return new QuestionResult(id, 0.0, max, status, oneLine(ename + ": " + Notebook.stringOr(output, "evalue", "")));
            }
            if (type.equals("stream") && "stderr".equals(Notebook.stringOr(output, "name", "")) && stderr == null) {
                stderr = Notebook.multiline(output.get("text"));
            }
        }
        if (stderr != null) {
            return new QuestionResult(id, 0.0, max, "stderr", "the cell wrote to stderr (scores 0, as in nbgrader): "
                    + oneLine(stderr));
        }
        return new QuestionResult(id, max, max, "passed", "");
    }

    private static String oneLine(String text) {
        String s = text.replaceAll("\u001B\\[[;\\d]*[A-Za-z]", "").strip().replaceAll("\\s*\n\\s*", " | ");
        return s.length() > 500 ? s.substring(0, 500) + "..." : s;
    }
}
