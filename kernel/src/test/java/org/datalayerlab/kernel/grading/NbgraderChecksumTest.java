package org.datalayerlab.kernel.grading;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import org.datalayerlab.kernel.runner.Notebook;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/** Our checksum against nbgrader's compute_checksum, re-implemented in Python on the notebook nbformat reads. */
class NbgraderChecksumTest {

    /**
     * nbgrader's utils.compute_checksum (nbgrader 0.5 to 0.9), in a few lines: MD5 over the source,
     * the cell type, str() of is_grade / is_solution / is_locked, the grade_id and, for grade
     * cells, str(float(points)). Prints one checksum per tracked cell.
     */
    private static final String NBGRADER_ALGORITHM = """
            import hashlib, sys, nbformat
            def nbg(cell): return cell.metadata.get('nbgrader', {})
            def is_grade(cell): return nbg(cell).get('grade', False)
            def is_solution(cell): return nbg(cell).get('solution', False)
            def is_locked(cell):
                if 'nbgrader' not in cell.metadata or is_solution(cell): return False
                return True if is_grade(cell) else nbg(cell).get('locked', False)
            def compute_checksum(cell):
                m = hashlib.md5()
                for part in [cell.source, cell.cell_type, str(is_grade(cell)), str(is_solution(cell)),
                             str(is_locked(cell)), nbg(cell)['grade_id']]:
                    m.update(part.encode('utf-8'))
                if is_grade(cell): m.update(str(float(nbg(cell)['points'])).encode('utf-8'))
                return m.hexdigest()
            nb = nbformat.read(sys.argv[1], as_version=4)
            for cell in nb.cells:
                if is_grade(cell) or is_solution(cell) or is_locked(cell):
                    print(nbg(cell)['grade_id'], compute_checksum(cell), nbg(cell).get('checksum', '-'))
            """;

    @TempDir
    Path tmp;

    @Test
    void releasedChecksumsAreNbgradersOnEveryTrackedCell() throws Exception {
        Homework hw = new Homework(tmp);
        Path released = tmp.resolve("released.ipynb");
        hw.released().write(released);

        List<String> lines = Homework.python(NBGRADER_ALGORITHM, released.toString()).lines().toList();

        assertEquals(7, lines.size(), "tracked cells: " + lines);
        for (String line : lines) {
            String[] f = line.split(" ");
            assertEquals(f[1], f[2], "stored checksum of " + f[0] + " is nbgrader's");
        }
    }

    @Test
    void sameAsNbgraderOnTheInstructorsCellsToo() throws Exception {
        Homework hw = new Homework(tmp);
        Notebook nb = hw.instructor();
        List<String> ours = new ArrayList<>();
        for (JsonElement c : nb.cells()) {
            JsonObject cell = c.getAsJsonObject();
            if (NbgraderCell.isTracked(cell)) ours.add(NbgraderCell.gradeId(cell) + " " + NbgraderChecksum.of(cell) + " -");
        }
        assertFalse(ours.isEmpty());
        assertEquals(Homework.python(NBGRADER_ALGORITHM, hw.instructorNotebook().toString()).lines().toList(), ours);
    }

    @Test
    void knownValues() {
        // computed with nbgrader's algorithm above; points as number, fractional and as text
        assertEquals("f00942fe6971ab1eebe1b419350cd731", NbgraderChecksum.of(cell("print(1)\n", true, false, "q1", "1")));
        assertEquals("a3abc872b68813a03b89159131731154", NbgraderChecksum.of(cell("x", true, false, "q2", "0.5")));
        assertEquals("2504c8d37355ff8b7a721cb8f70149aa", NbgraderChecksum.of(cell("y = 2;", false, true, "a1", null)));
        assertEquals("2.0", NbgraderChecksum.pythonFloat(2));
        assertEquals("0.5", NbgraderChecksum.pythonFloat(0.5));
        assertEquals("12.25", NbgraderChecksum.pythonFloat(12.25));
    }

    private static JsonObject cell(String source, boolean grade, boolean solution, String id, String points) {
        String meta = "{\"grade\": " + grade + ", \"solution\": " + solution + ", \"locked\": " + grade
                + ", \"grade_id\": \"" + id + "\"" + (points == null ? "" : ", \"points\": " + points) + "}";
        return JsonParser.parseString("{\"cell_type\": \"code\", \"metadata\": {\"nbgrader\": " + meta + "},"
                + " \"source\": " + new com.google.gson.Gson().toJson(source) + "}").getAsJsonObject();
    }
}
