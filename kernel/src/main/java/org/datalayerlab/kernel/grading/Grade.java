package org.datalayerlab.kernel.grading;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import org.datalayerlab.kernel.runner.Notebook;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Autograding as nbgrader does it, in two steps around the run. {@link #prepare} puts the
 * student's answer cells, by grade_id, into the instructor's notebook (tests, hidden tests and
 * set-up as the instructor wrote them), so a student cannot change or shadow a test, and notes
 * edited, deleted, reordered, unknown or added cells.
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
     * The submission made ready to run: the instructor's notebook, cell for cell, with the
     * student's answer cells in place of the solutions.
     *
     * @param notebook     what runs: the instructor's cells (set-up and tests, hidden tests included) and the answers
     * @param cellOf       grade_id to the cell index in {@code notebook}, for the graded cells the submission has
     * @param flags        what the instructor should know: edited locked cells, deleted or reordered cells, ...
     * @param disqualified grade_id to the reason it scores 0 whatever the run says (an answer shadowed what it uses)
     */
    public record Prepared(Notebook notebook, Map<String, Integer> cellOf, List<String> flags,
                           Map<String, String> disqualified) {
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

    /**
     * Builds the notebook to run from the instructor's: every cell as the instructor wrote it
     * (so set-up cells and tests cannot be edited or shadowed by cells the student added), except
     * the answer cells, which come from the submission by grade_id (a deleted answer runs as
     * released). An answer that declares a name the assignment's own cells use, beyond what its
     * stub declares, disqualifies its tests.
     */
    public static Prepared prepare(Notebook source, String sourceName, Notebook submission, String submissionName)
            throws GradeException {
        Map<String, JsonObject> tracked = trackedCells(source);
        if (tracked.values().stream().noneMatch(NbgraderCell::isGrade)) {
            throw new GradeException(sourceName + " has no graded nbgrader cells (\"grade\": true): it is not an"
                    + " instructor's assignment notebook");
        }
        List<String> flags = new ArrayList<>();
        Map<String, JsonObject> submitted = new LinkedHashMap<>();
        Map<String, Integer> positionOf = new LinkedHashMap<>();
        Set<String> known = knownSources(source, sourceName);
        List<Integer> foreign = new ArrayList<>();
        for (int i = 0; i < submission.cellCount(); i++) {
            JsonObject cell = submission.cell(i);
            String id = NbgraderCell.gradeId(cell);
            if (id != null && tracked.containsKey(id) && !submitted.containsKey(id)) {
                submitted.put(id, cell);
                positionOf.put(id, i);
                continue;
            }
            if (id != null) {
                flags.add("cell " + (i + 1) + " (" + id + "): " + (tracked.containsKey(id) ? "a second cell with this"
                        + " grade_id" : "a grade_id the instructor's notebook does not have") + "; not run, not scored");
            } else if (Notebook.isCode(cell) && !known.contains(Notebook.source(cell).strip())) {
                foreign.add(i + 1);
            }
        }
        if (submitted.isEmpty()) {
            throw new GradeException(submissionName + " has no nbgrader cell of " + sourceName
                    + " (no grade_id in common): is it a notebook of another course or assignment?"
                    + " Pass the right instructor notebook with --source");
        }
        if (!foreign.isEmpty()) {
            flags.add("code cell(s) " + foreign.stream().map(String::valueOf).collect(Collectors.joining(", "))
                    + " of the submission are not the assignment's (added, or set-up edited): grading runs the"
                    + " assignment's own cells with the answer cells, so they did not run");
        }
        Notebook run = source.copy();
        run.clearOutputs();
        Map<String, Integer> cellOf = new LinkedHashMap<>();
        for (int i = 0; i < run.cellCount(); i++) {
            String id = NbgraderCell.gradeId(run.cell(i));
            if (id == null || !tracked.containsKey(id)) continue;
            JsonObject original = tracked.get(id);
            JsonObject student = submitted.get(id);
            if (student == null) {
                String what = NbgraderCell.isGrade(original) ? "graded cell" : NbgraderCell.isSolution(original)
                        ? "answer cell" : "locked cell";
                flags.add(id + ": the " + what + " was deleted from the submission"
                        + (NbgraderCell.isGrade(original) ? "; it scores 0"
                        : NbgraderCell.isSolution(original) ? "; it ran as released" : ""));
                if (NbgraderCell.isSolution(original)) run.cells().set(i, releasedCell(original));
                continue;
            }
            cellOf.put(id, i);
            String where = "cell " + (positionOf.get(id) + 1) + " (" + id + ")";
            run.cells().set(i, NbgraderCell.isLocked(original)
                    ? restoreLocked(original, student, where, flags)
                    : restoreMetadata(original, student, where, flags));
        }
        List<String> order = new ArrayList<>(positionOf.keySet());
        List<String> expected = new ArrayList<>(tracked.keySet());
        expected.retainAll(order);
        if (!expected.equals(order)) {
            flags.add("nbgrader cells were reordered: the submission has " + String.join(", ", order)
                    + "; the instructor's order is " + String.join(", ", expected) + " (run in the instructor's order)");
        }
        Map<String, String> disqualified = shadowingAnswers(run, tracked, flags);
        return new Prepared(run, cellOf, flags, disqualified);
    }

    /** The sources of the instructor's and the released code cells: a submission's cell equal to one is not foreign. */
    private static Set<String> knownSources(Notebook source, String sourceName) throws GradeException {
        Set<String> known = new HashSet<>(Set.of(""));
        try {
            for (Notebook nb : List.of(source, Release.studentVersion(source, sourceName))) {
                for (JsonElement c : nb.cells()) {
                    if (Notebook.isCode(c.getAsJsonObject())) known.add(Notebook.source(c.getAsJsonObject()).strip());
                }
            }
        } catch (Release.ReleaseException e) {
            throw new GradeException("the instructor's notebook is not a valid assignment: " + e.getMessage());
        }
        return known;
    }

    /** Answers that declare a name the assignment's cells use: their tests (and any test using the name) score 0. */
    private static Map<String, String> shadowingAnswers(Notebook run, Map<String, JsonObject> tracked, List<String> flags) {
        List<String> assignmentCode = new ArrayList<>();
        for (JsonElement c : run.cells()) {
            JsonObject cell = c.getAsJsonObject();
            if (Notebook.isCode(cell) && !(NbgraderCell.isTracked(cell) && NbgraderCell.isSolution(cell))) {
                assignmentCode.add(Notebook.source(cell));
            }
        }
        Map<String, String> disqualified = new LinkedHashMap<>();
        try (AnswerNames names = new AnswerNames()) {
            AnswerNames.Used used = names.used(assignmentCode);
            for (int i = 0; i < run.cellCount(); i++) {
                JsonObject cell = run.cell(i);
                if (!Notebook.isCode(cell) || !NbgraderCell.isTracked(cell) || !NbgraderCell.isSolution(cell)) continue;
                String id = NbgraderCell.gradeId(cell);
                Set<String> shadowed = names.shadowing(Notebook.source(cell), Notebook.source(releasedCell(tracked.get(id))),
                        used);
                if (shadowed.isEmpty()) continue;
                String reason = "the answer cell " + id + " declares " + String.join(", ", shadowed) + ", a name the"
                        + " assignment's set-up or tests use: it would replace theirs (declare only what the stub"
                        + " declares, and names of your own)";
                flags.add(id + ": " + reason + "; its test and every test using the name score 0");
                for (int j = i + 1; j < run.cellCount(); j++) { // the answer's own test: the next graded cell
                    JsonObject later = run.cell(j);
                    if (NbgraderCell.isTracked(later) && NbgraderCell.isGrade(later)) {
                        disqualified.putIfAbsent(NbgraderCell.gradeId(later), reason);
                        break;
                    }
                }
                for (JsonObject test : tracked.values()) {
                    if (!NbgraderCell.isGrade(test) || NbgraderCell.isSolution(test)) continue;
                    String code = AnswerNames.codeOnly(Notebook.source(test));
                    if (shadowed.stream().anyMatch(n -> Pattern.compile("\\b" + Pattern.quote(n) + "\\b").matcher(code).find())) {
                        disqualified.putIfAbsent(NbgraderCell.gradeId(test), reason);
                    }
                }
            }
        }
        return disqualified;
    }

    private static JsonObject releasedCell(JsonObject original) {
        try {
            JsonObject stub = Release.studentCell(original);
            clearOutputs(stub);
            return stub;
        } catch (Release.ReleaseException e) {
            throw new IllegalStateException("the instructor's notebook is not a valid assignment: " + e.getMessage(), e);
        }
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
            } else if (prepared.disqualified().containsKey(id)) {
                results.add(new QuestionResult(id, 0.0, max, "shadowed", prepared.disqualified().get(id)));
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
