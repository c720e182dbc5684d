package org.datalayerlab.kernel.grading;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import org.datalayerlab.kernel.runner.Notebook;
import org.junit.jupiter.api.AfterAll;
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
 * Submissions written as a cheating student would, graded in one batch with an honest one: each
 * cheat scores 0 on the question it targets, the honest work its full score, nothing it starts
 * outlives grading, the instructor's notebook is untouched, and no feedback page shows a hidden
 * test or a solution.
 */
class CheatTest {

    /** A process an answer starts with setsid, to see whether it outlives grading. */
    static final String SURVIVOR = "sleep 987654";

    @TempDir
    static Path home;

    static Homework hw;
    static Homework.Cli cli;
    static Map<String, JsonObject> grades;
    static String instructorBefore;
    static String instructorPath;

    @BeforeAll
    static void gradeTheCheats() throws Exception {
        hw = new Homework(home);
        instructorPath = hw.instructorNotebook().toString();
        instructorBefore = Files.readString(hw.instructorNotebook());
        List<String> args = new ArrayList<>(List.of("grade"));
        args.add(hw.submit("honest", GradeTest.alternativeAnswersOf(hw)).toString());
        args.add(hw.submit("readsolution", answer1(readsSolution())).toString());
        args.add(hw.submit("forge", answer1(forgesResults())).toString());
        args.add(hw.submit("shadow", answer2(SHADOW_LIST + WRONG_EVENS_IN_SHADOW_LIST)).toString());
        args.add(hw.submit("addedcell", addedCellBeforeAnswer2()).toString());
        args.add(hw.submit("assertoff", answer2(WRONG_EVENS
                + "Thread.currentThread().getContextClassLoader().setDefaultAssertionStatus(false);\n")).toString());
        args.add(hw.submit("sabotage", answer1(rewritesInstructorNotebook())).toString());
        args.add(hw.submit("survivor", answer1("int answer() {\n    return base + 2;\n}\n"
                + "new ProcessBuilder(\"setsid\", \"" + SURVIVOR.replace(" ", "\", \"") + "\").start();\n")).toString());
        args.add(hw.submit("halt", answer1("int answer() {\n    return base + 2;\n}\nRuntime.getRuntime().halt(7);\n")).toString());
        args.add(hw.submit("leak", answer1("int answer() {\n    try {\n        String nb = Files.readString(Path.of(\""
                + instructorPath + "\"));\n        throw new IllegalStateException(nb.substring(nb.indexOf(\"BEGIN HIDDEN\")));\n"
                + "    } catch (IOException e) {\n        throw new UncheckedIOException(e);\n    }\n}\n")).toString());
        args.add(hw.submit("snoop", answer1("int answer() {\n    return base + 2;\n}\n"
                + "System.out.println(Files.readString(Path.of(\"/proc/self/cmdline\")).replace('\\0', ' '));\n"
                + "System.out.println(System.getenv());\nSystem.out.println(System.getProperties());\n"
                + "System.out.println(Files.readString(Path.of(\"/proc/\" + ProcessHandle.current().parent().get().pid()"
                + " + \"/cmdline\")).replace('\\0', ' '));\n")).toString());
        Path corrupt = Files.createDirectories(home.resolve("submitted/corrupt/hw")).resolve(Homework.NAME);
        Files.writeString(corrupt, "{\"cells\": [ {\"cell_");
        args.add(corrupt.toString());
        Path renamed = home.resolve("submitted/renamed/hw/hw-basics (1).ipynb");
        GradeTest.alternativeAnswersOf(hw).write(renamed);
        args.add(renamed.toString());
        cli = hw.lab(args.toArray(String[]::new));
        grades = hw.grades(home.resolve("target/grading"));
        printTable();
    }

    @AfterAll
    static void stopSurvivors() {
        // only the processes this test's submission started (on code where they outlive grading)
        ProcessHandle.allProcesses().filter(p -> p.info().commandLine().orElse("").endsWith(SURVIVOR))
                .forEach(ProcessHandle::destroyForcibly);
    }

    static final String WRONG_EVENS = "List<Integer> evens = new ArrayList<>(List.of(6, 8));\nlong above4 = 2;\n";

    /** A class named like the one the hidden test compares with: its equals says yes to anything. */
    static final String SHADOW_LIST = "class List<T> extends ArrayList<T> {\n"
            + "    static List<Integer> of(Integer... xs) { return new List<>(); }\n"
            + "    @Override public boolean equals(Object o) { return true; }\n"
            + "}\n";
    static final String WRONG_EVENS_IN_SHADOW_LIST = "List<Integer> evens = new List<>();\nevens.add(6);\nevens.add(8);\n"
            + "long above4 = 2;\n";

    /** Reads the instructor's notebook, cuts out the solution of exercise 1 and runs it. */
    static String readsSolution() {
        return "{\n"
                + "    String nb = Files.readString(Path.of(\"" + instructorPath + "\"));\n"
                + "    var cells = com.google.gson.JsonParser.parseString(nb).getAsJsonObject().getAsJsonArray(\"cells\");\n"
                + "    String solution = \"\";\n"
                + "    for (var c : cells) {\n"
                + "        String src = String.join(\"\", c.getAsJsonObject().getAsJsonArray(\"source\").asList().stream()"
                + ".map(s -> s.getAsString()).toList());\n"
                + "        if (src.contains(\"int answer()\")) solution = src;\n"
                + "    }\n"
                + "    Files.writeString(Path.of(\"cheat.jsh\"), solution);\n"
                + "}\n"
                + "%load cheat.jsh\n";
    }

    /**
     * A shutdown hook that finds the executed notebook and progress file in the JVM's command
     * line, marks every cell run without errors and the run done, then halts with 0.
     */
    static String forgesResults() {
        return "int answer() {\n    return 0;\n}\n"
                + "{\n"
                + "    List<String> args = List.of(Files.readString(Path.of(\"/proc/self/cmdline\")).split(\"\\u0000\"));\n"
                + "    int at = args.indexOf(\"org.datalayerlab.kernel.runner.NotebookProcess\");\n"
                + "    if (at >= 0) {\n"
                + "        Path executed = Path.of(args.get(at + 2)), progress = Path.of(args.get(at + 3));\n"
                + "        Runtime.getRuntime().addShutdownHook(new Thread(() -> {\n"
                + "            try {\n"
                + "                Thread.sleep(1000);\n"
                + "                var nb = com.google.gson.JsonParser.parseString(Files.readString(executed)).getAsJsonObject();\n"
                + "                int n = 1;\n"
                + "                for (var c : nb.getAsJsonArray(\"cells\")) {\n"
                + "                    var cell = c.getAsJsonObject();\n"
                + "                    if (!cell.get(\"cell_type\").getAsString().equals(\"code\")) continue;\n"
                + "                    cell.addProperty(\"execution_count\", n++);\n"
                + "                    cell.add(\"outputs\", new com.google.gson.JsonArray());\n"
                + "                }\n"
                + "                Files.writeString(executed, nb.toString());\n"
                + "                Files.writeString(progress, \"done\\n\", StandardOpenOption.APPEND);\n"
                + "            } catch (Exception e) {\n"
                + "                e.printStackTrace(new PrintStream(new FileOutputStream(FileDescriptor.err)));\n"
                + "            }\n"
                + "            Runtime.getRuntime().halt(0);\n"
                + "        }));\n"
                + "    }\n"
                + "    System.exit(0);\n"
                + "}\n";
    }

    /** Drops the hidden test of exercise 2 from the instructor's notebook, for every later student. */
    static String rewritesInstructorNotebook() {
        return "int answer() {\n    return 0;\n}\n"
                + "try {\n"
                + "    Path nb = Path.of(\"" + instructorPath + "\");\n"
                + "    Files.writeString(nb, Files.readString(nb).replace(\"assert evens.equals\", \"assert true || evens.equals\"));\n"
                + "} catch (Exception e) {\n"
                + "}\n";
    }

    static Notebook answer1(String source) throws Exception {
        return Homework.answer(hw.released(), "hw-ex1-answer", source);
    }

    static Notebook answer2(String source) throws Exception {
        return Homework.answer(hw.released(), "hw-ex2-answer", source);
    }

    /** The shadowing class in a cell of its own, added before the answer (a set-up cell would do the same). */
    static Notebook addedCellBeforeAnswer2() throws Exception {
        Notebook nb = answer2(WRONG_EVENS_IN_SHADOW_LIST);
        JsonArray cells = nb.cells();
        JsonObject added = new JsonObject();
        added.addProperty("cell_type", "code");
        added.addProperty("id", "added-by-student");
        added.add("metadata", new JsonObject());
        added.addProperty("source", SHADOW_LIST);
        added.add("outputs", new JsonArray());
        added.add("execution_count", null);
        JsonArray reordered = new JsonArray();
        for (var c : cells) {
            if ("hw-ex2-answer".equals(NbgraderCell.gradeId(c.getAsJsonObject()))) reordered.add(added);
            reordered.add(c);
        }
        nb.json().add("cells", reordered);
        return nb;
    }

    static double score(String student, String gradeId) {
        JsonObject report = grades.get(student);
        assertTrue(report != null, "no report for " + student + ": " + cli.out() + cli.err());
        return Homework.questions(report).get(gradeId).get("score").getAsDouble();
    }

    static String status(String student, String gradeId) {
        return Homework.questions(grades.get(student)).get(gradeId).get("status").getAsString();
    }

    /** The scores, for the record (and to compare with other versions of the grader). */
    static void printTable() {
        System.out.println("case           targeted question  score  total");
        String[][] cases = {{"honest", "hw-ex2-test"}, {"readsolution", "hw-ex1-test"}, {"forge", "hw-ex1-test"},
                {"shadow", "hw-ex2-test"}, {"addedcell", "hw-ex2-test"}, {"assertoff", "hw-ex2-test"},
                {"sabotage", "hw-ex1-test"}, {"survivor", "hw-ex1-test"}, {"halt", "hw-ex1-test"},
                {"leak", "hw-ex1-test"}, {"renamed", "hw-ex2-test"}};
        for (String[] c : cases) {
            JsonObject r = grades.get(c[0]);
            System.out.printf("%-14s %-18s %5s  %s%n", c[0], c[1],
                    r == null ? "-" : Homework.questions(r).get(c[1]).get("score").getAsString(),
                    r == null ? "-" : r.get("score").getAsString());
        }
        try {
            System.out.println("instructor notebook changed: " + !instructorBefore.equals(Files.readString(hw.instructorNotebook())));
            System.out.println("survivor running after grading: " + ProcessHandle.allProcesses()
                    .anyMatch(p -> p.info().commandLine().orElse("").endsWith(SURVIVOR)));
            System.out.println("halt: " + grades.get("halt").get("run_problem").getAsString());
            try (var pages = Files.walk(home.resolve("target/grading/feedback"))) {
                for (Path page : pages.filter(p -> p.toString().endsWith(".html")).toList()) {
                    if (Files.readString(page).contains("BEGIN HIDDEN TESTS")) System.out.println("hidden tests shown in " + page);
                }
            }
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void honestWorkScoresFull() {
        assertEquals(6.0, grades.get("honest").get("score").getAsDouble(), cli.out());
        assertTrue(Homework.flags(grades.get("honest")).isEmpty(), Homework.flags(grades.get("honest")).toString());
    }

    @Test
    void theInstructorsNotebookCannotBeRead() {
        assertEquals(0.0, score("readsolution", "hw-ex1-test"), cli.out());
        assertEquals(0.0, score("leak", "hw-ex1-test"));
    }

    @Test
    void aShutdownHookCannotForgeTheResults() {
        assertEquals(0.0, grades.get("forge").get("score").getAsDouble(), cli.out());
        assertEquals("not run", status("forge", "hw-ex1-test"));
        assertTrue(grades.get("forge").get("run_problem").getAsString().contains("System.exit(0)"),
                grades.get("forge").toString());
    }

    @Test
    void anAnswerCannotShadowWhatTheTestsUse() {
        assertEquals(0.0, score("shadow", "hw-ex2-test"), cli.out());
        assertEquals("shadowed", status("shadow", "hw-ex2-test"));
        assertTrue(Homework.flags(grades.get("shadow")).stream().anyMatch(f -> f.contains("declares List")),
                Homework.flags(grades.get("shadow")).toString());
        assertEquals(0.0, score("addedcell", "hw-ex2-test"));
        assertTrue(Homework.flags(grades.get("addedcell")).stream().anyMatch(f -> f.contains("not the assignment's")),
                Homework.flags(grades.get("addedcell")).toString());
    }

    @Test
    void assertionsCannotBeSwitchedOff() {
        assertEquals(0.0, score("assertoff", "hw-ex2-test"), cli.out());
        assertTrue(Homework.questions(grades.get("assertoff")).get("hw-ex2-test").get("message").getAsString()
                .contains("hidden: evens must be"));
    }

    @Test
    void theInstructorsNotebookCannotBeRewritten() throws Exception {
        assertEquals(instructorBefore, Files.readString(hw.instructorNotebook()));
        assertEquals(0.0, score("sabotage", "hw-ex1-test"));
        // a later batch still runs the hidden test of exercise 2
        Path victim = hw.submit("victim", Homework.answer(hw.released(), "hw-ex2-answer",
                "List<Integer> evens = new ArrayList<>(List.of(0, 6, 8));\nlong above4 = evens.stream().filter(x -> x > 4).count();"));
        Path later = home.resolve("target/grading-later");
        Homework.Cli run = hw.lab("grade", "--out", later.toString(), victim.toString());
        assertEquals(0.0, Homework.questions(hw.grades(later).get("victim")).get("hw-ex2-test").get("score").getAsDouble(),
                run.out());
    }

    @Test
    void nothingAnAnswerStartsOutlivesGrading() {
        assertEquals(2.0, score("survivor", "hw-ex1-test"), "the answer itself is right");
        List<String> left = ProcessHandle.allProcesses()
                .filter(p -> p.info().commandLine().orElse("").endsWith(SURVIVOR))
                .map(p -> p.pid() + " " + p.info().commandLine().orElse("")).toList();
        assertTrue(left.isEmpty(), "left running: " + left);
        assertTrue(Homework.gradedProcesses().isEmpty(), Homework.gradedProcesses().toString());
    }

    /** What the cells' JVM can learn about itself names none of the grader's files. */
    @Test
    void theCellsJvmKnowsNoPathOfTheGrader() throws Exception {
        assertEquals(2.0, score("snoop", "hw-ex1-test"));
        Notebook executed = Notebook.read(home.resolve("target/grading/autograded/snoop/hw-basics.ipynb"));
        String printed = Homework.cell(executed, "hw-ex1-answer").get("outputs").toString();
        assertTrue(printed.contains("LAB_SCALE") && printed.contains("java.class.path"), printed);
        for (String secret : List.of(home.toString(), "target/grading", "hw-basics.ipynb.progress")) {
            assertFalse(printed.contains(secret), "the cells' JVM sees " + secret + ": " + printed);
        }
    }

    @Test
    void aHaltNamesTheCellAndTheReason() {
        JsonObject r = grades.get("halt");
        String problem = r.get("run_problem").getAsString();
        assertTrue(problem.contains("cell 4 (hw-ex1-answer)") && problem.contains("exit code 7"), problem);
        assertEquals("not run", status("halt", "hw-ex1-test"));
        assertEquals(0.0, r.get("score").getAsDouble());
    }

    @Test
    void aCorruptFileIsRefusedOnItsOwnAndARenamedFileIsMatchedByGradeIds() throws Exception {
        assertEquals(1, cli.exit(), "a refused file makes the exit code 1");
        assertEquals("refused", grades.get("corrupt").get("status").getAsString());
        assertTrue(grades.get("corrupt").get("refused").getAsString().contains("not valid JSON"));
        assertEquals(6.0, grades.get("renamed").get("score").getAsDouble(), cli.out() + cli.err());
        assertTrue(Files.readString(home.resolve("target/grading/grades.csv")).contains("corrupt,hw-basics.ipynb,,,,refused,"));
    }

    @Test
    void feedbackPagesShowNoHiddenTestOrSolution() throws Exception {
        Secrets secrets = Secrets.of(hw.instructor());
        assertFalse(secrets.lines().isEmpty());
        Path feedback = home.resolve("target/grading/feedback");
        try (var pages = Files.walk(feedback)) {
            for (Path page : pages.filter(p -> p.toString().endsWith(".html")).toList()) {
                String html = Files.readString(page).replace("&quot;", "\"").replace("&lt;", "<").replace("&gt;", ">")
                        .replace("&amp;", "&");
                assertFalse(html.contains("BEGIN HIDDEN") || html.contains("BEGIN SOLUTION"), page.toString());
                for (String line : secrets.lines()) assertFalse(html.contains(line), page + " shows: " + line);
            }
        }
    }
}
