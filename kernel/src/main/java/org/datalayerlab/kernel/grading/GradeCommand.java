package org.datalayerlab.kernel.grading;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import org.datalayerlab.kernel.cli.CliContext;
import org.datalayerlab.kernel.cli.Subcommand;
import org.datalayerlab.kernel.runner.EngineFactory;
import org.datalayerlab.kernel.runner.Notebook;
import org.datalayerlab.kernel.runner.NotebookRunner;
import org.datalayerlab.kernel.runner.RunResult;

import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code lab grade [--source NOTEBOOK] [--out DIR] [--timeout S] [--force] SUBMISSION.ipynb...}:
 * runs each submission headless with the instructor's tests put back, scores it, and writes
 * grades.csv, grades.json, the executed copies (autograded/STUDENT/) and feedback pages
 * (feedback/STUDENT/), laid out like nbgrader's course folder.
 */
public final class GradeCommand implements Subcommand {

    /** Grading runs short ci-scale notebooks; a hanging answer should not hold the class up for long. */
    public static final long DEFAULT_CELL_TIMEOUT_SECONDS = 120;

    @Override
    public String name() {
        return "grade";
    }

    @Override
    public String usage() {
        return "[--source NOTEBOOK] [--out DIR] [--timeout SECONDS] [--force] SUBMISSION.ipynb...  runs submissions"
                + " with the hidden tests put back and scores them (report in target/grading/)";
    }

    /** One submission, checked and ready to run. */
    private record Job(String student, Path submission, Path source, Notebook sourceNotebook, Grade.Prepared prepared) {
    }

    @Override
    public int run(List<String> args, CliContext ctx) throws Exception {
        Path source = null;
        Path out = ctx.home().resolve("target/grading");
        long timeout = timeout(ctx.env().get("LAB_CELL_TIMEOUT"), "LAB_CELL_TIMEOUT", DEFAULT_CELL_TIMEOUT_SECONDS);
        boolean force = false;
        List<Path> submissions = new ArrayList<>();
        for (int i = 0; i < args.size(); i++) {
            String a = args.get(i);
            switch (a) {
                case "--source" -> source = GradingInput.notebookFile(value(args, ++i, a));
                case "--out" -> out = Path.of(value(args, ++i, a)).toAbsolutePath().normalize();
                case "--timeout" -> timeout = timeout(value(args, ++i, a), a, 0);
                case "--force" -> force = true;
                default -> {
                    if (a.startsWith("-")) throw new UsageException("unknown option " + a);
                    submissions.add(GradingInput.notebookFile(a));
                }
            }
        }
        if (submissions.isEmpty()) throw new UsageException("no submission given: name the students' .ipynb files");

        // check every input before running anything
        List<Job> jobs = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (Path submission : submissions) {
            Path src = source != null ? source : defaultSource(ctx.home(), submission);
            Notebook sourceNb = GradingInput.read(src);
            try {
                Release.studentVersion(sourceNb, src.getFileName().toString()); // the source must be a valid assignment
            } catch (Release.ReleaseException e) {
                throw new UsageException("the instructor's notebook is not a valid assignment: " + e.getMessage());
            }
            Notebook submitted = GradingInput.read(submission);
            Grade.Prepared prepared;
            try {
                prepared = Grade.prepare(sourceNb, src.toString(), submitted, submission.toString());
            } catch (Grade.GradeException e) {
                throw new UsageException(e.getMessage());
            }
            String student = studentOf(submission, src);
            if (!seen.add(student + "/" + src.getFileName())) {
                throw new UsageException("two submissions of " + src.getFileName() + " for student " + student
                        + " (the student is the folder after submitted/, else the file's folder or name)");
            }
            jobs.add(new Job(student, submission, src, sourceNb, prepared));
        }
        Path csv = out.resolve("grades.csv");
        Path json = out.resolve("grades.json");
        if (!force && (Files.exists(csv) || Files.exists(json))) {
            ctx.err().println("lab grade: " + out + " already holds grades (grades.csv, grades.json): pass --force"
                    + " to replace them, or --out another folder");
            return 1;
        }

        String scale = ctx.env().getOrDefault("LAB_SCALE", "");
        ctx.out().println("Grading " + jobs.size() + " submission(s): LAB_SCALE=" + (scale.isBlank() ? "ci" : scale)
                + ", cell timeout " + timeout + " s");
        List<Report> reports = new ArrayList<>();
        for (Job job : jobs) {
            Report r = grade(job, out, timeout, scale.isBlank() ? "ci" : scale);
            ctx.out().println(r.line());
            for (String f : r.flags()) ctx.out().println("    flag: " + f);
            if (!r.runProblem().isEmpty()) ctx.out().println("    run ended early: " + r.runProblem());
            reports.add(r);
        }
        Report.writeCsv(reports, csv);
        Report.writeJson(reports, json);
        ctx.out().println("Grades: " + csv + " and " + json);
        ctx.out().println("Feedback pages: " + out.resolve("feedback") + "/STUDENT/; executed copies: "
                + out.resolve("autograded") + "/STUDENT/");
        return 0;
    }

    private static Report grade(Job job, Path out, long timeout, String scale) throws Exception {
        String name = job.source().getFileName().toString();
        Path executedDir = out.resolve("autograded").resolve(job.student());
        Path input = executedDir.resolve(".work/input").resolve(name);
        job.prepared().notebook().write(input);
        List<String> java = new ArrayList<>(NotebookRunner.sameJvmCommand());
        java.add(1, "-ea"); // test cells may use Java's assert statement: make it check
        NotebookRunner runner = new NotebookRunner(executedDir, timeout,
                System.getProperty("lab.engine", EngineFactory.DEFAULT_ENGINE), java,
                Map.of("LAB_SCALE", scale), new PrintStream(OutputStream.nullOutputStream()))
                .keepGoingAfterErrors();
        // in the instructor's notebook folder, so that "%jars ../library/..." and data paths resolve
        RunResult result = runner.run(input, job.source().getParent());
        Notebook executed = Notebook.read(result.executed());
        List<Grade.QuestionResult> questions = Grade.score(job.sourceNotebook(), job.prepared(), executed);
        Report report = new Report(job.student(), name, job.submission(), job.source(), result.executed(), questions,
                job.prepared().flags(), result.seconds(), runProblem(executed));
        report.writeFeedback(out.resolve("feedback").resolve(job.student()).resolve(name.replaceAll("\\.ipynb$", ".html")));
        return report;
    }

    /** If code cells were left unexecuted, the error of the last cell that ran (it stopped the JVM). */
    static String runProblem(Notebook executed) {
        int lastRun = -1;
        boolean skipped = false;
        for (int i = 0; i < executed.cellCount(); i++) {
            JsonObject cell = executed.cell(i);
            if (!Notebook.isCode(cell)) continue;
            JsonElement count = cell.get("execution_count");
            if (count == null || count.isJsonNull()) {
                skipped = true;
            } else {
                lastRun = i;
                skipped = false;
            }
        }
        if (!skipped) return "";
        String error = lastRun < 0 ? null : errorOf(executed.cell(lastRun));
        return "cells after cell " + (lastRun + 1) + " did not run" + (error == null ? "" : ": " + error);
    }

    private static String errorOf(JsonObject cell) {
        for (JsonElement o : cell.getAsJsonArray("outputs")) {
            JsonObject output = o.getAsJsonObject();
            if ("error".equals(Notebook.stringOr(output, "output_type", ""))) {
                return Notebook.stringOr(output, "ename", "Error") + ": " + Notebook.stringOr(output, "evalue", "");
            }
        }
        return null;
    }

    /** notebooks/NAME for a submission named NAME. */
    private static Path defaultSource(Path home, Path submission) throws UsageException {
        Path candidate = home.resolve("notebooks").resolve(submission.getFileName());
        if (!Files.isRegularFile(candidate)) {
            throw new UsageException("no instructor notebook for " + submission + ": " + candidate
                    + " does not exist; name it with --source NOTEBOOK");
        }
        return candidate;
    }

    /**
     * The student: the folder after "submitted" (nbgrader's submitted/STUDENT/ASSIGNMENT/NOTEBOOK),
     * else the submission's folder when the file keeps the assignment's name, else the file name.
     */
    static String studentOf(Path submission, Path source) {
        Path abs = submission.toAbsolutePath().normalize();
        for (int i = 0; i + 2 < abs.getNameCount(); i++) {
            if (abs.getName(i).toString().equals("submitted")) return abs.getName(i + 1).toString();
        }
        String file = abs.getFileName().toString();
        if (file.equals(source.getFileName().toString()) && abs.getParent() != null
                && abs.getParent().getFileName() != null) {
            return abs.getParent().getFileName().toString();
        }
        return file.replaceAll("\\.ipynb$", "");
    }

    private static String value(List<String> args, int i, String option) throws UsageException {
        if (i >= args.size()) throw new UsageException(option + " needs a value");
        return args.get(i);
    }

    private static long timeout(String value, String what, long fallback) throws UsageException {
        if (value == null || value.isBlank()) return fallback;
        try {
            long s = Long.parseLong(value.trim());
            if (s > 0) return s;
        } catch (NumberFormatException ignored) {
            // reported below
        }
        throw new UsageException(what + " must be a positive number of seconds, not '" + value + "'");
    }
}
