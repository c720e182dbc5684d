package org.datalayerlab.kernel.grading;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import org.datalayerlab.kernel.runner.Notebook;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A submission that hangs is cut off by the per-cell timeout, scored, and leaves nothing running. */
class GradeTimeoutTest {

    @TempDir
    Path home;

    @Test
    void aHangingAnswerIsCutOffAndTheRestStillGraded() throws Exception {
        Homework hw = new Homework(home);
        Notebook nb = GradeTest.alternativeAnswersOf(hw);
        Homework.answer(nb, "hw-ex1-answer", "int answer() {\n    long n = 0;\n    while (true) n++;\n}");
        Path submission = hw.submit("loops", nb);

        Homework.Cli cli = hw.lab("grade", "--timeout", "8", submission.toString());

        assertEquals(0, cli.exit(), cli.out() + cli.err());
        Map<String, JsonObject> q = Homework.questions(hw.grades(home.resolve("target/grading")).get("loops"));
        assertEquals("timeout", q.get("hw-ex1-test").get("status").getAsString(), q.toString());
        assertEquals(0.0, q.get("hw-ex1-test").get("score").getAsDouble());
        assertTrue(q.get("hw-ex1-test").get("message").getAsString().contains("longer than 8 s"));
        assertEquals(3.0, q.get("hw-ex2-test").get("score").getAsDouble(), "graded after the hang");
        assertEquals(1.0, q.get("hw-free-test").get("score").getAsDouble(), q.toString());
        assertNothingLeftRunning(home);
    }

    /**
     * A cell that ignores the interrupt (the scripted test engine spins without checking it): the
     * runner stops its JVM; the cells after it are scored 0 as not run, and the report says why.
     */
    @Test
    void aCellThatIgnoresTheInterruptStopsItsJvmAndLaterQuestionsScoreZeroAsNotRun() throws Exception {
        Path notebooks = Files.createDirectories(home.resolve("notebooks"));
        Path source = notebooks.resolve("scripted.ipynb");
        Files.writeString(source, """
                {"cells": [
                 {"cell_type": "code", "id": "a", "metadata": {"nbgrader": {"grade_id": "s-ex1-answer", "solution": true,
                   "grade": false, "locked": false, "schema_version": 3}}, "source": "print answered", "outputs": [],
                   "execution_count": null},
                 {"cell_type": "code", "id": "b", "metadata": {"nbgrader": {"grade_id": "s-ex1-test", "grade": true,
                   "points": 1, "solution": false, "locked": true, "schema_version": 3}}, "source": "print ok", "outputs": [],
                   "execution_count": null},
                 {"cell_type": "code", "id": "c", "metadata": {"nbgrader": {"grade_id": "s-ex2-test", "grade": true,
                   "points": 2, "solution": false, "locked": true, "schema_version": 3}}, "source": "print ok", "outputs": [],
                   "execution_count": null}],
                 "metadata": {}, "nbformat": 4, "nbformat_minor": 5}
                """);
        Notebook submitted = Notebook.read(source);
        JsonObject answer = submitted.cell(0);
        answer.add("source", JsonParser.parseString("\"hang 600000\""));
        Path submission = home.resolve("submitted/spinner/hw/scripted.ipynb");
        submitted.write(submission);

        Homework hw = new Homework(home);
        System.setProperty("lab.engine", "org.datalayerlab.kernel.runner.ScriptedEngine");
        Homework.Cli cli;
        try {
            cli = hw.lab("grade", "--timeout", "2", submission.toString());
        } finally {
            System.clearProperty("lab.engine");
        }

        assertEquals(0, cli.exit(), cli.out() + cli.err());
        JsonObject report = hw.grades(home.resolve("target/grading")).get("spinner");
        Map<String, JsonObject> q = Homework.questions(report);
        assertEquals("not run", q.get("s-ex1-test").get("status").getAsString(), q.toString());
        assertEquals(0.0, q.get("s-ex2-test").get("score").getAsDouble());
        String problem = report.get("run_problem").getAsString();
        assertTrue(problem.contains("cell 1 (s-ex1-answer) ran longer than 2 s") && problem.contains("CellTimeout")
                && problem.contains("the cells after it did not run"), problem);
        assertTrue(cli.out().contains("run ended early"), cli.out());
        assertNothingLeftRunning(home);
    }

    private static void assertNothingLeftRunning(Path home) {
        List<String> left = Homework.gradedProcesses();
        assertFalse(!left.isEmpty(), "processes left running: " + left);
    }
}
