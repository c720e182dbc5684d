package org.datalayerlab.kernel.grading;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import org.datalayerlab.kernel.cli.CliContext;
import org.datalayerlab.kernel.cli.Subcommand;
import org.datalayerlab.kernel.runner.EngineFactory;
import org.datalayerlab.kernel.runner.Notebook;

import java.io.IOException;
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
        List<String> submissions = new ArrayList<>();
        for (int i = 0; i < args.size(); i++) {
            String a = args.get(i);
            switch (a) {
                case "--source" -> source = GradingInput.notebookFile(value(args, ++i, a));
                case "--out" -> out = Path.of(value(args, ++i, a)).toAbsolutePath().normalize();
                case "--timeout" -> timeout = timeout(value(args, ++i, a), a, 0);
                case "--force" -> force = true;
                default -> {
                    if (a.startsWith("-")) throw new UsageException("unknown option " + a);
                    submissions.add(a);
                }
            }
        }
        if (submissions.isEmpty()) throw new UsageException("no submission given: name the students' .ipynb files");
        Path csv = out.resolve("grades.csv");
        Path json = out.resolve("grades.json");
        if (!force && (Files.exists(csv) || Files.exists(json))) {
            ctx.err().println("lab grade: " + out + " already holds grades (grades.csv, grades.json): pass --force"
                    + " to replace them, or --out another folder");
            return 1;
        }

        // check every input before running anything; a bad one is refused on its own
        List<Job> jobs = new ArrayList<>();
        List<Report> reports = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (String arg : submissions) {
            try {
                Job job = check(arg, source, ctx.home());
                if (!seen.add(job.student() + "/" + job.source().getFileName())) {
                    throw new UsageException("a second submission of " + job.source().getFileName() + " for student "
                            + job.student() + " (the student is the folder after submitted/, else the file's folder or name)");
                }
                jobs.add(job);
            } catch (UsageException e) {
                Path file = Path.of(arg).toAbsolutePath().normalize();
                String student = studentOf(file, Path.of(file.getFileName() + ""));
                reports.add(Report.refused(student, file.getFileName().toString(), file, e.getMessage()));
                ctx.err().println("lab grade: refused " + arg + ": " + e.getMessage());
            }
        }

        String scale = ctx.env().getOrDefault("LAB_SCALE", "");
        scale = scale.isBlank() ? "ci" : scale;
        ctx.out().println("Grading " + jobs.size() + " submission(s): LAB_SCALE=" + scale + ", cell timeout " + timeout + " s");
        if (!jobs.isEmpty()) {
            Files.createDirectories(out);
            try (Sandbox sandbox = Sandbox.open(ctx.home(), ctx.env(), ctx.out())) {
                Set<Path> hidden = new java.util.LinkedHashSet<>(List.of(ctx.home(), out));
                for (Job job : jobs) {
                    hidden.add(job.source().getParent());
                    hidden.add(job.submission().getParent());
                }
                for (Path p : hidden) {
                    if (hidden.stream().noneMatch(h -> !h.equals(p) && p.startsWith(h))) sandbox.hide(p, ctx.out());
                }
                for (Job job : jobs) {
                    Report r = grade(job, out, timeout, scale, sandbox, ctx.home());
                    ctx.out().println(r.line());
                    for (String f : r.flags()) ctx.out().println("    flag: " + f);
                    if (!r.runProblem().isEmpty()) ctx.out().println("    run ended early: " + r.runProblem());
                    reports.add(r);
                }
            }
        }
        Report.writeCsv(reports, csv);
        Report.writeJson(reports, json);
        ctx.out().println("Grades: " + csv + " and " + json);
        ctx.out().println("Feedback pages: " + out.resolve("feedback") + "/STUDENT/; executed copies: "
                + out.resolve("autograded") + "/STUDENT/");
        return reports.stream().anyMatch(r -> !r.refused().isEmpty()) ? 1 : 0;
    }

    /** Reads a submission and its instructor notebook and puts them together; says what is wrong if it cannot. */
    private static Job check(String arg, Path source, Path home) throws UsageException {
        Path submission = GradingInput.notebookFile(arg);
        Notebook submitted = GradingInput.read(submission);
        Path src = source != null ? source : defaultSource(home, submission, submitted);
        Notebook sourceNb = GradingInput.read(src);
        try {
            Release.studentVersion(sourceNb, src.getFileName().toString()); // the source must be a valid assignment
        } catch (Release.ReleaseException e) {
            throw new UsageException("the instructor's notebook is not a valid assignment: " + e.getMessage());
        }
        try {
            Grade.Prepared prepared = Grade.prepare(sourceNb, src.toString(), submitted, submission.toString());
            return new Job(studentOf(submission, src), submission, src, sourceNb, prepared);
        } catch (Grade.GradeException e) {
            throw new UsageException(e.getMessage());
        }
    }

    private static Report grade(Job job, Path out, long timeout, String scale, Sandbox sandbox, Path home)
            throws Exception {
        String name = job.source().getFileName().toString();
        Path executedDir = out.resolve("autograded").resolve(job.student());
        Map<Path, String> before = checksums(home, job.source());
        GradingRun.Outcome outcome;
        try (AutoCloseable oneAtATime = sandbox.lock()) {
            try {
                Path workDir = sandbox.prepare(name, Files.readAllBytes(job.submission()));
                String engine = System.getProperty("lab.engine", EngineFactory.DEFAULT_ENGINE);
                outcome = GradingRun.run(job.prepared().notebook(), sandbox.javaCommand(javaOptions()),
                        sandbox.environment(name, scale), workDir, timeout, engine,
                        executedDir.resolve(".work").resolve(name + ".log"));
            } finally {
                sandbox.cleanUp(); // every process the submission started, wherever it went
            }
        }
        Path executed = executedDir.resolve(name);
        outcome.executed().write(executed);
        List<Grade.QuestionResult> questions = Grade.score(job.sourceNotebook(), job.prepared(), outcome.executed());
        List<String> flags = new ArrayList<>(job.prepared().flags());
        Map<Path, String> after = checksums(home, job.source());
        if (!after.equals(before)) {
            List<Path> changed = new ArrayList<>();
            for (Path p : before.keySet()) if (!before.get(p).equals(after.get(p))) changed.add(p);
            for (Path p : after.keySet()) if (!before.containsKey(p)) changed.add(p);
            flags.add("the instructor's files changed while this submission ran: " + changed + "; it scores 0;"
                    + " check and restore them (git) before grading on");
            questions = questions.stream().map(q -> new Grade.QuestionResult(q.gradeId(), q.score() == null ? null : 0.0,
                    q.maxPoints(), "tampered", "the instructor's files changed during the run")).toList();
        }
        String problem = outcome.problem().isEmpty() ? runProblem(outcome.executed()) : outcome.problem();
        Secrets secrets = Secrets.of(job.sourceNotebook());
        questions = questions.stream().map(q -> new Grade.QuestionResult(q.gradeId(), q.score(), q.maxPoints(),
                q.status(), secrets.redact(q.message()))).toList();
        Report report = new Report(job.student(), name, job.submission(), job.source(), executed, questions,
                flags, outcome.seconds(), secrets.redact(problem), "");
        report.writeFeedback(out.resolve("feedback").resolve(job.student()).resolve(name.replaceAll("\\.ipynb$", ".html")));
        return report;
    }

    /** The JVM options of the cells' JVM: the kernel's JIT (C1 only) unless LAB_JAVA_OPTS says otherwise. */
    private static List<String> javaOptions() {
        List<String> cmd = new ArrayList<>(List.of("-Djava.awt.headless=true"));
        String opts = System.getenv("LAB_JAVA_OPTS");
        if (opts == null || opts.isBlank()) opts = "-XX:TieredStopAtLevel=1";
        cmd.addAll(List.of(opts.trim().split("\\s+")));
        return cmd;
    }

    /** SHA-256 of every file in the instructor's notebooks/ folder and of the source notebook. */
    private static Map<Path, String> checksums(Path home, Path source) throws IOException {
        Map<Path, String> sums = new java.util.TreeMap<>();
        List<Path> files = new ArrayList<>(List.of(source));
        Path notebooks = home.resolve("notebooks");
        if (Files.isDirectory(notebooks)) {
            try (var all = Files.walk(notebooks)) {
                all.filter(Files::isRegularFile).forEach(files::add);
            }
        }
        for (Path f : files) {
            try {
                byte[] digest = java.security.MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(f));
                sums.put(f, java.util.HexFormat.of().formatHex(digest));
            } catch (java.security.NoSuchAlgorithmException e) {
                throw new IllegalStateException(e);
            }
        }
        return sums;
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

    /**
     * notebooks/NAME for a submission named NAME; else (a browser's "NAME (1).ipynb", a renamed
     * file) the notebook in notebooks/ that shares the most grade_ids with the submission.
     */
    private static Path defaultSource(Path home, Path submission, Notebook submitted) throws UsageException {
        Path notebooks = home.resolve("notebooks");
        Path candidate = notebooks.resolve(submission.getFileName());
        if (Files.isRegularFile(candidate)) return candidate;
        Set<String> ids = new HashSet<>(Grade.trackedCells(submitted).keySet());
        Path best = null;
        long bestCommon = 0;
        if (!ids.isEmpty() && Files.isDirectory(notebooks)) {
            try (var all = Files.list(notebooks)) {
                for (Path nb : all.filter(p -> p.toString().endsWith(".ipynb")).sorted().toList()) {
                    try {
                        long common = Grade.trackedCells(Notebook.read(nb)).keySet().stream().filter(ids::contains).count();
                        if (common > bestCommon) {
                            best = nb;
                            bestCommon = common;
                        }
                    } catch (IOException | RuntimeException unreadable) {
                        // not a notebook this submission can belong to
                    }
                }
            } catch (IOException e) {
                throw new UsageException("cannot list " + notebooks + ": " + e.getMessage());
            }
        }
        if (best == null) {
            throw new UsageException("no instructor notebook for " + submission + ": " + candidate
                    + " does not exist and no notebook in " + notebooks + " shares a grade_id with it;"
                    + " name it with --source NOTEBOOK");
        }
        return best;
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
