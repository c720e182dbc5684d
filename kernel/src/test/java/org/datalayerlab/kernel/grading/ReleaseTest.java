package org.datalayerlab.kernel.grading;

import com.google.gson.JsonObject;
import org.datalayerlab.kernel.runner.Notebook;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** ./lab release: student versions without solutions or hidden tests, valid for nbformat and nbgrader. */
class ReleaseTest {

    @TempDir
    Path tmp;

    @Test
    void releaseWritesAStudentVersionWithoutSolutionsOrHiddenTests() throws Exception {
        Homework hw = new Homework(tmp);

        Homework.Cli cli = hw.lab("release");

        assertEquals(0, cli.exit(), cli.err());
        assertTrue(cli.out().contains("released hw-basics.ipynb"), cli.out());
        Path released = tmp.resolve("target/release/hw-basics.ipynb");
        Homework.assertValidNbformat(released);
        Notebook nb = Notebook.read(released);
        String all = nb.json().toString();
        assertFalse(all.contains("return base + 2"), "solution of exercise 1 removed");
        assertFalse(all.contains("evens.add(i)"), "solution of exercise 2 removed");
        assertFalse(all.contains("HIDDEN"), "hidden tests removed");
        assertFalse(all.contains("hidden: "), "hidden asserts removed");
        assertFalse(all.contains("Because a student could"), "written answer removed");

        // the stub keeps the region's indentation and fails with the exercise's name
        assertEquals("int answer() {\n    // YOUR CODE HERE\n"
                        + "    throw new UnsupportedOperationException(\"exercise hw-ex1: write your answer here\");\n}",
                Notebook.source(Homework.cell(nb, "hw-ex1-answer")));
        assertTrue(Notebook.source(Homework.cell(nb, "hw-ex2-answer")).startsWith("List<Integer> evens = new ArrayList<>();\n"
                + "// YOUR CODE HERE\nthrow new UnsupportedOperationException(\"exercise hw-ex2: write your answer here\");\n"
                + "long above4"));
        assertEquals("YOUR ANSWER HERE", Notebook.source(Homework.cell(nb, "hw-ex3-explain")));
        assertEquals("if (answer() != 42) throw new AssertionError(\"answer() should be 42, was \" + answer());",
                Notebook.source(Homework.cell(nb, "hw-ex1-test")), "visible part of the test stays");

        // nbgrader metadata kept, checksum added, locked cells read-only
        JsonObject test = Homework.cell(nb, "hw-ex2-test");
        JsonObject meta = NbgraderCell.meta(test);
        assertEquals(3, meta.get("points").getAsInt());
        assertTrue(meta.get("grade").getAsBoolean());
        assertEquals(3, meta.get("schema_version").getAsInt());
        assertEquals(NbgraderChecksum.of(test), meta.get("checksum").getAsString());
        assertFalse(test.getAsJsonObject("metadata").get("editable").getAsBoolean());
        assertTrue(Homework.cell(nb, "hw-ex1-answer").getAsJsonObject("metadata").get("deletable") != null);
        for (var c : nb.cells()) {
            JsonObject cell = c.getAsJsonObject();
            if (Notebook.isCode(cell)) {
                assertEquals(0, cell.getAsJsonArray("outputs").size());
                assertTrue(cell.get("execution_count").isJsonNull());
            }
        }
    }

    @Test
    void releaseDoesNotOverwriteWithoutForce() throws Exception {
        Homework hw = new Homework(tmp);
        assertEquals(0, hw.lab("release").exit());
        Path released = tmp.resolve("target/release/hw-basics.ipynb");
        Files.writeString(released, "edited by hand");

        Homework.Cli again = hw.lab("release", hw.instructorNotebook().toString());

        assertEquals(1, again.exit());
        assertTrue(again.err().contains("not overwriting") && again.err().contains("--force"), again.err());
        assertEquals("edited by hand", Files.readString(released));
        assertEquals(0, hw.lab("release", "--force").exit());
        Homework.assertValidNbformat(released);
    }

    @Test
    void aMethodStubInsideABlockStillCompiles() {
        // a bare throw before more statements would be "unreachable statement"; at the block's end it
        // also satisfies a method that returns a value
        String region = "void setUp() {\n    // BEGIN SOLUTION\n    size = 4;\n    // END SOLUTION\n    start();\n}";
        String last = "int size() {\n    // BEGIN SOLUTION\n    return 4;\n    // END SOLUTION\n}";
        assertEquals("void setUp() {\n    // YOUR CODE HERE\n    if (true) throw new UnsupportedOperationException("
                + "\"exercise 05-ex1: write your answer here\");\n    start();\n}", clear(region));
        assertEquals("int size() {\n    // YOUR CODE HERE\n    throw new UnsupportedOperationException("
                + "\"exercise 05-ex1: write your answer here\");\n}", clear(last));
    }

    private static String clear(String source) {
        try {
            return Release.clearSolutions(source, "05-ex1-answer", true, "test");
        } catch (Release.ReleaseException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void brokenMarkersAreNamed() throws Exception {
        Homework hw = new Homework(tmp);
        Notebook nb = hw.instructor();
        Homework.answer(nb, "hw-ex1-answer", "int answer() {\n    // BEGIN SOLUTION\n    return 42;\n}");
        Release.ReleaseException e = assertThrows(Release.ReleaseException.class, () -> Release.studentVersion(nb, "x.ipynb"));
        assertTrue(e.getMessage().contains("x.ipynb, cell 4") && e.getMessage().contains("without an END SOLUTION"),
                e.getMessage());

        Notebook hiddenInAnswer = hw.instructor();
        Homework.answer(hiddenInAnswer, "hw-ex1-answer", "// BEGIN HIDDEN TESTS\nint x;\n// END HIDDEN TESTS");
        e = assertThrows(Release.ReleaseException.class, () -> Release.studentVersion(hiddenInAnswer, "x.ipynb"));
        assertTrue(e.getMessage().contains("not a graded test cell"), e.getMessage());
    }

    @Test
    void badInputGetsAClearMessageAndNothingIsWritten() throws Exception {
        Homework hw = new Homework(tmp);
        Path csv = Files.writeString(tmp.resolve("scores.csv"), "a,b\n1,2\n");
        Path corrupt = Files.writeString(tmp.resolve("broken.ipynb"), "{\"cells\": [");
        Path plain = Files.writeString(tmp.resolve("plain.ipynb"),
                "{\"cells\": [], \"metadata\": {}, \"nbformat\": 4, \"nbformat_minor\": 5}");

        Homework.Cli r = hw.lab("release", csv.toString());
        assertEquals(2, r.exit());
        assertTrue(r.err().contains("is not a notebook"), r.err());
        r = hw.lab("release", corrupt.toString());
        assertEquals(2, r.exit());
        assertTrue(r.err().contains("not valid JSON"), r.err());
        r = hw.lab("release", plain.toString());
        assertEquals(2, r.exit());
        assertTrue(r.err().contains("has no nbgrader cells"), r.err());
        r = hw.lab("release", tmp.resolve("missing.ipynb").toString());
        assertEquals(2, r.exit());
        assertTrue(r.err().contains("no such file"), r.err());
        assertFalse(Files.exists(tmp.resolve("target/release")));
    }
}
