package org.datalayerlab.kernel.grading;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import org.datalayerlab.kernel.cli.CliContext;
import org.datalayerlab.kernel.cli.LabCli;
import org.datalayerlab.kernel.runner.Notebook;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The grading tests' fixture: a course folder holding the instructor's notebook
 * (src/test/resources/grading/hw-basics.ipynb: plain Java cells, three exercises, hidden tests),
 * the command line run on it, and helpers to write student submissions.
 */
final class Homework {

    static final String NAME = "hw-basics.ipynb";

    final Path home;

    Homework(Path home) throws IOException {
        this.home = home;
        Files.createDirectories(home.resolve("notebooks"));
        try (InputStream in = Homework.class.getResourceAsStream("/grading/" + NAME)) {
            Files.copy(in, instructorNotebook(), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
    }

    Path instructorNotebook() {
        return home.resolve("notebooks").resolve(NAME);
    }

    Notebook instructor() throws IOException {
        return Notebook.read(instructorNotebook());
    }

    Notebook released() throws Exception {
        return Release.studentVersion(instructor(), NAME);
    }

    /** What a command printed and returned. */
    record Cli(int exit, String out, String err) {
    }

    Cli lab(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit = LabCli.run(List.of(args), new CliContext(home, Map.of(),
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8)));
        return new Cli(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    /** The first cell with this grade_id. */
    static JsonObject cell(Notebook nb, String gradeId) {
        for (JsonElement c : nb.cells()) {
            if (gradeId.equals(NbgraderCell.gradeId(c.getAsJsonObject()))) return c.getAsJsonObject();
        }
        throw new AssertionError("no cell " + gradeId);
    }

    /** A student's answer: replaces the source of the cell with this grade_id. */
    static Notebook answer(Notebook nb, String gradeId, String source) {
        NbgraderCell.setSource(cell(nb, gradeId), source);
        return nb;
    }

    /** Writes a submission in nbgrader's layout: submitted/STUDENT/hw/hw-basics.ipynb. */
    Path submit(String student, Notebook nb) throws IOException {
        Path file = home.resolve("submitted").resolve(student).resolve("hw").resolve(NAME);
        nb.write(file);
        return file;
    }

    /** grades.json as student to its report object. */
    Map<String, JsonObject> grades(Path out) throws IOException {
        Map<String, JsonObject> byStudent = new java.util.LinkedHashMap<>();
        for (JsonElement e : JsonParser.parseString(Files.readString(out.resolve("grades.json"))).getAsJsonArray()) {
            byStudent.put(e.getAsJsonObject().get("student").getAsString(), e.getAsJsonObject());
        }
        return byStudent;
    }

    /** grade_id to question object of one student's report. */
    static Map<String, JsonObject> questions(JsonObject report) {
        Map<String, JsonObject> byId = new java.util.LinkedHashMap<>();
        for (JsonElement q : report.getAsJsonArray("questions")) {
            byId.put(q.getAsJsonObject().get("grade_id").getAsString(), q.getAsJsonObject());
        }
        return byId;
    }

    static List<String> flags(JsonObject report) {
        List<String> flags = new ArrayList<>();
        report.getAsJsonArray("flags").forEach(f -> flags.add(f.getAsString()));
        return flags;
    }

    /** Runs a few lines of Python 3 (Debian's, with nbformat); returns stdout, fails on a non-zero exit. */
    static String python(String script, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("/usr/bin/python3", "-c", script));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor(60, TimeUnit.SECONDS);
        if (out.contains("No module named")) {
            throw new AssertionError("Python's nbformat is missing: apt-get install python3-nbformat (" + out.trim() + ")");
        }
        assertEquals(0, p.exitValue(), "python failed:\n" + out);
        return out;
    }

    /** Validates with Debian's python3-nbformat, the validator Jupyter itself uses. */
    static void assertValidNbformat(Path notebook) throws Exception {
        python("import sys, nbformat\nnbformat.validate(nbformat.read(sys.argv[1], as_version=nbformat.NO_CONVERT))",
                notebook.toString());
    }

    /** Processes of graded code still running: the grading user's when root, else those with the grading marker. */
    static List<String> gradedProcesses() {
        List<String> left = new ArrayList<>();
        boolean root = Sandbox.isRoot();
        String graderUid;
        try {
            graderUid = graderUid();
        } catch (IOException e) {
            throw new AssertionError(e);
        }
        try (var procs = Files.list(Path.of("/proc"))) {
            for (Path p : procs.toList()) {
                if (!p.getFileName().toString().chars().allMatch(Character::isDigit)) continue;
                try {
                    String status = Files.readString(p.resolve("status"));
                    if (status.contains("\nState:\tZ")) continue;
                    boolean graded = root ? status.lines().anyMatch(l -> l.startsWith("Uid:")
                            && l.substring(4).trim().split("\\s+")[0].equals(graderUid))
                            : new String(Files.readAllBytes(p.resolve("environ")), StandardCharsets.UTF_8)
                            .contains("LAB_GRADING_RUN=");
                    if (graded) left.add(p.getFileName() + " " + Files.readString(p.resolve("cmdline")).replace('\0', ' '));
                } catch (IOException | RuntimeException gone) {
                    // ended while we looked
                }
            }
        } catch (IOException e) {
            throw new AssertionError(e);
        }
        return left;
    }

    private static String graderUid() throws IOException {
        for (String line : Files.readAllLines(Path.of("/etc/passwd"))) {
            String[] f = line.split(":");
            if (f[0].equals(Sandbox.DEFAULT_USER)) return f[2];
        }
        return "none";
    }
}
