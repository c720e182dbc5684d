package org.datalayerlab.kernel.grading;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import org.datalayerlab.kernel.runner.Notebook;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * ./lab grade on a class of submissions of the fixture homework, each run headless in its own
 * JVM with the kernel's JShell engine (one grading run for the class; each test reads its
 * student's report).
 */
class GradeTest {

    @TempDir
    static Path home;

    static Homework hw;
    static Homework.Cli cli;
    static Map<String, JsonObject> grades;

    @BeforeAll
    static void gradeTheClass() throws Exception {
        hw = new Homework(home);
        List<String> args = new ArrayList<>(List.of("grade"));
        args.add(hw.submit("instructor", hw.instructor()).toString());
        args.add(hw.submit("released", hw.released()).toString());
        args.add(hw.submit("alternative", alternativeAnswers()).toString());
        args.add(hw.submit("visibleonly", Homework.answer(hw.released(), "hw-ex2-answer",
                "List<Integer> evens = new ArrayList<>(List.of(0, 6, 8));\n"
                        + "long above4 = evens.stream().filter(x -> x > 4).count();")).toString());
        args.add(hw.submit("edited", editedTest()).toString());
        args.add(hw.submit("stderr", Homework.answer(alternativeAnswers(), "hw-ex1-answer",
                "int answer() {\n    System.err.println(\"debugging\");\n    return base + 2;\n}")).toString());
        args.add(hw.submit("failsearly", Homework.answer(alternativeAnswers(), "hw-ex1-answer",
                "int answer() {\n    return base +;\n}")).toString());
        args.add(hw.submit("deleted", deletedAndReordered()).toString());
        cli = hw.lab(args.toArray(String[]::new));
        assertEquals(0, cli.exit(), cli.out() + cli.err());
        grades = hw.grades(home.resolve("target/grading"));
    }

    /** Correct, but not the instructor's code. */
    static Notebook alternativeAnswers() throws Exception {
        return alternativeAnswersOf(hw);
    }

    static Notebook alternativeAnswersOf(Homework hw) throws Exception {
        Notebook nb = hw.released();
        Homework.answer(nb, "hw-ex1-answer", "int answer() {\n    int x = 6 * 7;\n    return x;\n}");
        Homework.answer(nb, "hw-ex2-answer", "List<Integer> evens = IntStream.rangeClosed(0, 4).map(i -> i * 2)\n"
                + "        .boxed().collect(Collectors.toList());\nlong above4 = evens.stream().filter(x -> x > 4).count();");
        Homework.answer(nb, "hw-ex3-explain", "So that an answer has to be right, not just pass the visible check.");
        return nb;
    }

    /** A wrong answer, and the test cell edited so that it would pass. */
    static Notebook editedTest() throws Exception {
        Notebook nb = hw.released();
        Homework.answer(nb, "hw-ex1-answer", "int answer() {\n    return 0;\n}");
        Homework.answer(nb, "hw-ex1-test", "// trust me");
        return nb;
    }

    /** hw-free-test deleted, hw-ex1-test moved to the end. */
    static Notebook deletedAndReordered() throws Exception {
        Notebook nb = alternativeAnswers();
        JsonArray cells = nb.cells();
        JsonElement ex1Test = Homework.cell(nb, "hw-ex1-test");
        cells.remove(ex1Test);
        cells.remove(Homework.cell(nb, "hw-free-test"));
        cells.add(ex1Test);
        return nb;
    }

    private static JsonObject question(String student, String gradeId) {
        JsonObject report = grades.get(student);
        assertTrue(report != null, "no report for " + student + " in " + grades.keySet());
        return Homework.questions(report).get(gradeId);
    }

    private static double score(String student, String gradeId) {
        return question(student, gradeId).get("score").getAsDouble();
    }

    private static String status(String student, String gradeId) {
        return question(student, gradeId).get("status").getAsString();
    }

    @Test
    void theInstructorsVersionScoresFullMarks() {
        JsonObject r = grades.get("instructor");
        assertEquals(6.0, r.get("score").getAsDouble(), cli.out());
        assertEquals(8.0, r.get("max_score").getAsDouble());
        assertEquals(2.0, r.get("manual_points").getAsDouble(), "the written answer is graded by hand");
        assertEquals("manual", status("instructor", "hw-ex3-explain"));
        assertTrue(Homework.flags(r).isEmpty(), "no flags: " + Homework.flags(r));
    }

    @Test
    void theReleasedVersionScoresZeroOnEverySolutionDependentQuestion() {
        assertEquals(0.0, score("released", "hw-ex1-test"));
        assertTrue(question("released", "hw-ex1-test").get("message").getAsString()
                .contains("exercise hw-ex1: write your answer here"));
        assertEquals(0.0, score("released", "hw-ex2-test"));
        assertEquals(0.0, score("released", "hw-ex3-explain"));
        assertEquals("unanswered", status("released", "hw-ex3-explain"));
        assertEquals(1.0, score("released", "hw-free-test"), "the question that needs no answer still scores");
        assertEquals(1.0, grades.get("released").get("score").getAsDouble());
    }

    @Test
    void aCorrectAnswerWrittenDifferentlyScoresFull() {
        assertEquals(2.0, score("alternative", "hw-ex1-test"));
        assertEquals(3.0, score("alternative", "hw-ex2-test"));
        assertEquals(6.0, grades.get("alternative").get("score").getAsDouble());
        assertEquals("manual", status("alternative", "hw-ex3-explain"));
    }

    @Test
    void hiddenTestsAreRunFromTheInstructorsNotebook() throws Exception {
        assertEquals(0.0, score("visibleonly", "hw-ex2-test"), "passes the visible check only");
        assertTrue(question("visibleonly", "hw-ex2-test").get("message").getAsString()
                .contains("hidden: evens must be 0, 2, 4, 6, 8"));
        String executed = Files.readString(home.resolve("target/grading/autograded/visibleonly/hw-basics.ipynb"));
        assertTrue(executed.contains("BEGIN HIDDEN TESTS"), "the executed copy ran the instructor's test cell");
        Homework.assertValidNbformat(home.resolve("target/grading/autograded/visibleonly/hw-basics.ipynb"));
    }

    @Test
    void anEditedLockedCellIsFlaggedAndGradedWithTheInstructorsVersion() {
        List<String> flags = Homework.flags(grades.get("edited"));
        assertEquals(1, flags.size(), flags.toString());
        assertTrue(flags.get(0).contains("hw-ex1-test") && flags.get(0).contains("locked cell was edited"), flags.get(0));
        assertEquals(0.0, score("edited", "hw-ex1-test"), "the restored test catches the wrong answer");
        assertTrue(cli.out().contains("flag: cell 5 (hw-ex1-test): a locked cell was edited"), cli.out());
    }

    @Test
    void anyStderrOutputInATestCellScoresZero() {
        assertEquals("stderr", status("stderr", "hw-ex1-test"));
        assertEquals(0.0, score("stderr", "hw-ex1-test"));
        assertTrue(question("stderr", "hw-ex1-test").get("message").getAsString().contains("debugging"));
        assertEquals(3.0, score("stderr", "hw-ex2-test"));
    }

    @Test
    void aFailureInAnEarlyCellDoesNotStopTheLaterQuestions() {
        assertEquals(0.0, score("failsearly", "hw-ex1-test"));
        assertEquals(3.0, score("failsearly", "hw-ex2-test"));
        assertEquals(1.0, score("failsearly", "hw-free-test"));
    }

    @Test
    void deletedAndReorderedGradedCellsAreFlaggedAndDeletedOnesScoreZero() {
        List<String> flags = Homework.flags(grades.get("deleted"));
        assertTrue(flags.stream().anyMatch(f -> f.startsWith("hw-free-test: the graded cell was deleted")), flags.toString());
        assertTrue(flags.stream().anyMatch(f -> f.contains("reordered")), flags.toString());
        assertEquals("deleted", status("deleted", "hw-free-test"));
        assertEquals(0.0, score("deleted", "hw-free-test"));
        assertEquals(2.0, score("deleted", "hw-ex1-test"), "the moved test still runs, after its answer");
    }

    @Test
    void reportsPerStudentAndQuestionAsCsvJsonAndFeedbackPages() throws Exception {
        Path out = home.resolve("target/grading");
        List<String> csv = Files.readAllLines(out.resolve("grades.csv"));
        assertEquals("student,notebook,grade_id,score,max_score,status,message", csv.get(0));
        assertEquals(1 + 8 * 4, csv.size(), "one row per student and graded cell");
        assertTrue(csv.contains("alternative,hw-basics.ipynb,hw-ex2-test,3,3,passed,"), csv.toString());
        assertEquals(8, grades.size());
        for (String student : grades.keySet()) {
            String page = Files.readString(out.resolve("feedback").resolve(student).resolve("hw-basics.html"));
            assertTrue(page.contains("hw-ex2-test") && page.contains(student), page);
            assertFalse(page.contains("BEGIN HIDDEN TESTS"), "feedback does not show the hidden tests");
        }
        String released = Files.readString(out.resolve("feedback/released/hw-basics.html"));
        assertTrue(released.contains("exercise hw-ex1: write your answer here"), "the error is on the page");
    }
}
