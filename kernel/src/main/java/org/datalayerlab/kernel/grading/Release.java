package org.datalayerlab.kernel.grading;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import org.datalayerlab.kernel.runner.Notebook;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Makes the student version of an instructor's notebook, as nbgrader's "generate_assignment" does:
 * solution regions become a stub that fails clearly until answered, hidden tests go, outputs are
 * cleared, and the nbgrader metadata stays with a checksum on every tracked cell.
 */
public final class Release {

    static final Pattern BEGIN_SOLUTION = marker("BEGIN SOLUTION");
    static final Pattern END_SOLUTION = marker("END SOLUTION");
    static final Pattern BEGIN_HIDDEN_TESTS = marker("BEGIN HIDDEN TESTS");
    static final Pattern END_HIDDEN_TESTS = marker("END HIDDEN TESTS");
    static final String TEXT_STUB = "YOUR ANSWER HERE";

    private Release() {
    }

    /** A notebook that is not a valid nbgrader assignment: the message names the cell and what is wrong. */
    public static final class ReleaseException extends Exception {
        ReleaseException(String message) {
            super(message);
        }
    }

    private static Pattern marker(String words) {
        return Pattern.compile("^\\s*//\\s*" + words + "\\s*$");
    }

    /** True if any cell has nbgrader metadata with a grade_id (the notebook is an assignment). */
    public static boolean isAssignment(Notebook nb) {
        for (JsonElement c : nb.cells()) {
            if (NbgraderCell.isTracked(c.getAsJsonObject())) return true;
        }
        return false;
    }

    /** The student version of {@code instructor} (which is left unchanged). */
    public static Notebook studentVersion(Notebook instructor, String name) throws ReleaseException {
        Notebook student = instructor.copy();
        student.clearOutputs();
        student.json().getAsJsonObject("metadata").remove("celltoolbar");
        Set<String> ids = new HashSet<>();
        for (int i = 0; i < student.cellCount(); i++) {
            JsonObject cell = student.cell(i);
            String where = name + ", cell " + (i + 1);
            checkMetadata(cell, where, ids);
            studentCellInPlace(cell, where);
        }
        return student;
    }

    /**
     * The student version of one instructor cell (a copy): what a released notebook holds, so its
     * checksum is what a submission's locked cell must still have.
     */
    static JsonObject studentCell(JsonObject instructorCell) throws ReleaseException {
        JsonObject cell = instructorCell.deepCopy();
        studentCellInPlace(cell, "cell " + NbgraderCell.gradeId(cell));
        return cell;
    }

    private static void studentCellInPlace(JsonObject cell, String where) throws ReleaseException {
        String id = NbgraderCell.gradeId(cell);
        boolean code = Notebook.isCode(cell);
        String source = NbgraderCell.source(cell);
        String released = removeHiddenTests(source, NbgraderCell.isGrade(cell), where);
        if (NbgraderCell.isSolution(cell)) {
            released = clearSolutions(released, id, code, where);
        } else if (hasMarker(released, BEGIN_SOLUTION) || hasMarker(released, END_SOLUTION)) {
            throw new ReleaseException(where + ": a solution region in a cell that is not a solution cell"
                    + " (set \"solution\": true in its metadata.nbgrader, or remove the markers)");
        }
        if (!released.equals(source)) NbgraderCell.setSource(cell, released);
        if (NbgraderCell.isTracked(cell)) {
            JsonObject meta = NbgraderCell.meta(cell);
            meta.addProperty("checksum", NbgraderChecksum.of(cell));
            meta.addProperty("cell_type", NbgraderCell.cellType(cell));
            // as nbgrader's LockCells: graded work cannot be deleted, locked cells not edited
            JsonObject metadata = cell.getAsJsonObject("metadata");
            metadata.addProperty("deletable", false);
            if (NbgraderCell.isLocked(cell)) metadata.addProperty("editable", false);
        }
    }

    private static void checkMetadata(JsonObject cell, String where, Set<String> ids) throws ReleaseException {
        JsonObject meta = NbgraderCell.meta(cell);
        if (meta == null) return;
        String id = NbgraderCell.gradeId(cell);
        boolean tracked = NbgraderCell.isGrade(cell) || NbgraderCell.isSolution(cell) || NbgraderCell.isLocked(cell);
        if (tracked && (id == null || id.isBlank())) {
            throw new ReleaseException(where + ": nbgrader cell without a grade_id");
        }
        if (id != null && !ids.add(id)) {
            throw new ReleaseException(where + ": grade_id '" + id + "' is used by two cells; grade_ids must be unique");
        }
        if (NbgraderCell.isGrade(cell)) {
            double points = NbgraderCell.points(cell);
            if (Double.isNaN(points) || points < 0) {
                throw new ReleaseException(where + " (" + id + "): a grade cell needs \"points\", a number >= 0");
            }
        }
    }

    /** Replaces each solution region by the stub, indented like its BEGIN line; no region: the whole cell. */
    static String clearSolutions(String source, String gradeId, boolean code, String where) throws ReleaseException {
        List<String> lines = List.of(source.split("\n", -1));
        if (!hasMarker(source, BEGIN_SOLUTION) && !hasMarker(source, END_SOLUTION)) {
            return code ? String.join("\n", codeStub(gradeId, "", true)) : TEXT_STUB;
        }
        List<String> out = new ArrayList<>();
        boolean inSolution = false;
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            if (BEGIN_SOLUTION.matcher(line).matches()) {
                if (inSolution) throw new ReleaseException(where + ": BEGIN SOLUTION inside another solution region");
                inSolution = true;
                String indent = line.substring(0, line.indexOf("//"));
                if (!code) {
                    out.add(indent + TEXT_STUB);
                } else {
                    out.addAll(codeStub(gradeId, indent, isLastInBlock(lines, i, indent)));
                }
            } else if (END_SOLUTION.matcher(line).matches()) {
                if (!inSolution) throw new ReleaseException(where + ": END SOLUTION without a BEGIN SOLUTION");
                inSolution = false;
            } else if (!inSolution) {
                out.add(line);
            }
        }
        if (inSolution) throw new ReleaseException(where + ": BEGIN SOLUTION without an END SOLUTION");
        return String.join("\n", out);
    }

    /**
     * The code stub. A bare {@code throw} followed by more statements in the same block would not
     * compile ("unreachable statement"), so there it is guarded by {@code if (true)}; where the
     * region ends its block (or stands at the top level, where JShell runs each statement on its
     * own) a bare throw also satisfies a method that must return a value.
     */
    static List<String> codeStub(String gradeId, String indent, boolean bareThrow) {
        String exception = "throw new UnsupportedOperationException(\"exercise " + javaString(exercise(gradeId))
                + ": write your answer here\");";
        return List.of(indent + "// YOUR CODE HERE", indent + (bareThrow ? "" : "if (true) ") + exception);
    }

    /** True if the region starting at {@code begin} is followed by nothing but the end of its block. */
    private static boolean isLastInBlock(List<String> lines, int begin, String indent) {
        if (indent.isEmpty()) return true;
        int i = begin + 1;
        while (i < lines.size() && !END_SOLUTION.matcher(lines.get(i)).matches()) i++;
        for (i++; i < lines.size(); i++) {
            String next = lines.get(i).trim();
            if (next.isEmpty() || next.startsWith("//")) continue;
            return next.startsWith("}");
        }
        return true;
    }

    /** "03-ex2-answer" names exercise "03-ex2". */
    static String exercise(String gradeId) {
        return gradeId.replaceFirst("-answer$", "");
    }

    private static String javaString(String s) {
        return s.replace("\\", "\\\\").replace("\"", "\\\"");
    }

    /** Removes hidden-test regions, markers included. */
    static String removeHiddenTests(String source, boolean gradeCell, String where) throws ReleaseException {
        if (!hasMarker(source, BEGIN_HIDDEN_TESTS) && !hasMarker(source, END_HIDDEN_TESTS)) return source;
        if (!gradeCell) {
            throw new ReleaseException(where + ": hidden tests in a cell that is not a graded test cell"
                    + " (set \"grade\": true and \"points\" in its metadata.nbgrader)");
        }
        List<String> out = new ArrayList<>();
        boolean hidden = false;
        for (String line : source.split("\n", -1)) {
            if (BEGIN_HIDDEN_TESTS.matcher(line).matches()) {
                if (hidden) throw new ReleaseException(where + ": BEGIN HIDDEN TESTS inside another hidden region");
                hidden = true;
            } else if (END_HIDDEN_TESTS.matcher(line).matches()) {
                if (!hidden) throw new ReleaseException(where + ": END HIDDEN TESTS without a BEGIN HIDDEN TESTS");
                hidden = false;
            } else if (!hidden) {
                out.add(line);
            }
        }
        if (hidden) throw new ReleaseException(where + ": BEGIN HIDDEN TESTS without an END HIDDEN TESTS");
        return String.join("\n", out);
    }

    private static boolean hasMarker(String source, Pattern marker) {
        for (String line : source.split("\n")) {
            if (marker.matcher(line).matches()) return true;
        }
        return false;
    }

    /** Counts for the release summary: exercises (solution cells), graded cells and their points. */
    record Summary(int solutionCells, int gradedCells, double points) {
        static Summary of(Notebook nb) {
            int solutions = 0;
            int graded = 0;
            double points = 0;
            for (JsonElement c : nb.cells()) {
                JsonObject cell = c.getAsJsonObject();
                if (NbgraderCell.isSolution(cell)) solutions++;
                if (NbgraderCell.isGrade(cell)) {
                    graded++;
                    points += NbgraderCell.points(cell);
                }
            }
            return new Summary(solutions, graded, points);
        }
    }
}
