package org.datalayerlab.kernel.grading;

import com.google.gson.JsonObject;
import org.datalayerlab.kernel.runner.Notebook;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** ./lab grade refuses bad input with a clear message and a non-zero exit, before running anything. */
class GradeBadInputTest {

    @TempDir
    Path home;

    Homework hw;

    @BeforeEach
    void course() throws Exception {
        hw = new Homework(home);
    }

    /** Refused before anything ran: a usage error, no grades written. */
    private void assertRefused(Homework.Cli cli, String... expected) {
        assertTrue(cli.exit() != 0, "exit code " + cli.exit());
        for (String e : expected) assertTrue(cli.err().contains(e), "'" + e + "' not in: " + cli.err());
        assertFalse(Files.exists(home.resolve("target/grading/grades.csv")), "nothing graded");
    }

    /** A bad file in a batch: its own row with status "refused" and the reason; exit code 1. */
    private void assertRefusedRow(Homework.Cli cli, String... expected) throws Exception {
        assertEquals(1, cli.exit(), cli.out() + cli.err());
        for (String e : expected) assertTrue(cli.err().contains(e), "'" + e + "' not in: " + cli.err());
        List<String> csv = Files.readAllLines(home.resolve("target/grading/grades.csv"));
        assertEquals(2, csv.size(), csv.toString());
        assertTrue(csv.get(1).contains(",,,,refused,"), csv.get(1));
        for (String e : expected) assertTrue(csv.get(1).contains(e), "'" + e + "' not in: " + csv.get(1));
    }

    @Test
    void aCsvFileIsNotANotebook() throws Exception {
        Path csv = Files.writeString(home.resolve("grades-from-lms.csv"), "student,score\nalice,3\n");
        assertRefusedRow(hw.lab("grade", csv.toString()), "is not a notebook");
    }

    @Test
    void corruptJson() throws Exception {
        Path folder = Files.createDirectories(home.resolve("submitted/alice/hw"));
        Path broken = Files.writeString(folder.resolve("hw-basics.ipynb"), "{\"cells\": [ {\"cell_");
        assertRefusedRow(hw.lab("grade", broken.toString()), "not valid JSON");
    }

    @Test
    void aNotebookOfAnotherCourse() throws Exception {
        Notebook other = hw.instructor();
        for (var c : other.cells()) {
            JsonObject meta = NbgraderCell.meta(c.getAsJsonObject());
            if (meta != null) meta.addProperty("grade_id", "other-" + meta.get("grade_id").getAsString());
        }
        Path submission = hw.submit("alice", other);
        assertRefusedRow(hw.lab("grade", submission.toString()), "no grade_id in common", "another course");
    }

    @Test
    void noSourceNotebookForTheSubmission() throws Exception {
        Notebook other = hw.instructor();
        for (var c : other.cells()) {
            JsonObject meta = NbgraderCell.meta(c.getAsJsonObject());
            if (meta != null) meta.addProperty("grade_id", "other-" + meta.get("grade_id").getAsString());
        }
        Path submission = home.resolve("alice-homework.ipynb");
        other.write(submission);
        assertRefusedRow(hw.lab("grade", submission.toString()), "no instructor notebook", "--source");
        Sandbox.deleteTree(home.resolve("target/grading"));
        assertRefused(hw.lab("grade", "--source", home.resolve("notebooks/missing.ipynb").toString(),
                submission.toString()), "no such file");
    }

    @Test
    void aSourceWithoutGradedCells() throws Exception {
        Path plain = Files.writeString(home.resolve("notebooks/plain.ipynb"),
                "{\"cells\": [], \"metadata\": {}, \"nbformat\": 4, \"nbformat_minor\": 5}");
        Path submission = hw.submit("alice", hw.released());
        assertRefusedRow(hw.lab("grade", "--source", plain.toString(), submission.toString()),
                "not an instructor's assignment notebook");
    }

    @Test
    void existingGradesAreNotOverwrittenWithoutForce() throws Exception {
        Path submission = hw.submit("alice", hw.released());
        Path csv = Files.createDirectories(home.resolve("target/grading")).resolve("grades.csv");
        Files.writeString(csv, "last week's grades");

        Homework.Cli cli = hw.lab("grade", submission.toString());

        assertEquals(1, cli.exit());
        assertTrue(cli.err().contains("already holds grades") && cli.err().contains("--force"), cli.err());
        assertEquals("last week's grades", Files.readString(csv));
        assertFalse(Files.exists(home.resolve("target/grading/autograded")), "nothing ran");
    }

    @Test
    void noSubmissionOrUnknownOption() {
        assertRefused(hw.lab("grade"), "no submission given");
        assertRefused(hw.lab("grade", "--bogus", "x.ipynb"), "unknown option --bogus");
        assertRefused(hw.lab("grade", "--timeout", "soon", "x.ipynb"), "positive number of seconds");
    }
}
