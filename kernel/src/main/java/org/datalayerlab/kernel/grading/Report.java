package org.datalayerlab.kernel.grading;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * The grades of one submission, and the files made from all of them: grades.csv (one row per
 * student and question), grades.json (the same with totals and flags) and a feedback page per
 * submission (each question, its points, the error if any; hidden test code is not shown).
 *
 * @param student    the student, from nbgrader's submitted/STUDENT/... layout or the file name
 * @param notebook   the assignment notebook's file name
 * @param runProblem why the run ended early (a cell's JVM was stopped), or empty
 * @param refused    why the submission could not be graded at all (not a notebook, no assignment), or empty
 */
public record Report(String student, String notebook, Path submission, Path source, Path executed,
                     List<Grade.QuestionResult> questions, List<String> flags, double seconds, String runProblem,
                     String refused) {

    /** A file that could not be graded: one row in the grades with status "refused" and the reason. */
    static Report refused(String student, String notebook, Path submission, String reason) {
        return new Report(student, notebook, submission, null, null, List.of(), List.of(), 0, "",
                reason.replaceAll("\\s*\n\\s*", " "));
    }

    public double score() {
        return questions.stream().map(Grade.QuestionResult::score).filter(Objects::nonNull)
                .mapToDouble(Double::doubleValue).sum();
    }

    /** All points of the notebook, those still to be graded by hand included. */
    public double maxScore() {
        return questions.stream().mapToDouble(Grade.QuestionResult::maxPoints).sum();
    }

    /** Points of answers that nbgrader leaves to be graded by hand (not in {@link #score}). */
    public double manualPoints() {
        return questions.stream().filter(q -> q.score() == null).mapToDouble(Grade.QuestionResult::maxPoints).sum();
    }

    /** One console line: student, notebook, score, flags, time. */
    public String line() {
        if (!refused.isEmpty()) return String.format("%-16s %-36s refused: %s", student, notebook, refused);
        String manual = manualPoints() > 0 ? " (" + points(manualPoints()) + " to grade by hand)" : "";
        String flagged = flags.isEmpty() ? "" : "  " + flags.size() + " flag(s)";
        return String.format("%-16s %-36s %6s / %-6s%s%s  %.1f s", student, notebook, points(score()), points(maxScore()),
                manual, flagged, seconds);
    }

    static String points(double p) {
        return p == Math.rint(p) ? Long.toString((long) p) : Double.toString(p);
    }

    public static void writeCsv(List<Report> reports, Path file) throws IOException {
        StringBuilder sb = new StringBuilder("student,notebook,grade_id,score,max_score,status,message\n");
        for (Report r : reports) {
            if (!r.refused.isEmpty()) {
                sb.append(csv(r.student)).append(',').append(csv(r.notebook)).append(",,,,refused,")
                        .append(csv(r.refused)).append('\n');
            }
            for (Grade.QuestionResult q : r.questions) {
                sb.append(csv(r.student)).append(',').append(csv(r.notebook)).append(',').append(csv(q.gradeId()))
                        .append(',').append(q.score() == null ? "" : points(q.score())).append(',')
                        .append(points(q.maxPoints())).append(',').append(csv(q.status())).append(',')
                        .append(csv(q.message())).append('\n');
            }
        }
        Files.createDirectories(file.toAbsolutePath().getParent());
        Files.writeString(file, sb.toString(), StandardCharsets.UTF_8);
    }

    private static String csv(String s) {
        if (s == null) return "";
        if (!s.contains(",") && !s.contains("\"") && !s.contains("\n")) return s;
        return "\"" + s.replace("\"", "\"\"") + "\"";
    }

    public static void writeJson(List<Report> reports, Path file) throws IOException {
        JsonArray all = new JsonArray();
        for (Report r : reports) {
            JsonObject o = new JsonObject();
            o.addProperty("student", r.student);
            o.addProperty("notebook", r.notebook);
            o.addProperty("submission", r.submission.toString());
            o.addProperty("status", r.refused.isEmpty() ? "graded" : "refused");
            if (!r.refused.isEmpty()) o.addProperty("refused", r.refused);
            o.addProperty("source", r.source == null ? null : r.source.toString());
            o.addProperty("score", r.score());
            o.addProperty("max_score", r.maxScore());
            o.addProperty("manual_points", r.manualPoints());
            o.addProperty("seconds", Math.round(r.seconds * 10) / 10.0);
            o.addProperty("run_problem", r.runProblem);
            JsonArray questions = new JsonArray();
            for (Grade.QuestionResult q : r.questions) {
                JsonObject qo = new JsonObject();
                qo.addProperty("grade_id", q.gradeId());
                qo.addProperty("score", q.score());
                qo.addProperty("max_score", q.maxPoints());
                qo.addProperty("status", q.status());
                qo.addProperty("message", q.message());
                questions.add(qo);
            }
            o.add("questions", questions);
            JsonArray flags = new JsonArray();
            r.flags.forEach(flags::add);
            o.add("flags", flags);
            all.add(o);
        }
        Files.createDirectories(file.toAbsolutePath().getParent());
        Files.writeString(file, new GsonBuilder().setPrettyPrinting().serializeNulls().disableHtmlEscaping()
                .create().toJson(all) + "\n", StandardCharsets.UTF_8);
    }

    /** The student's feedback page. */
    public void writeFeedback(Path page) throws IOException {
        StringBuilder sb = new StringBuilder("<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>")
                .append(esc(notebook + ": feedback for " + student)).append("</title><style>")
                .append("body{font-family:sans-serif;max-width:60em;margin:2em auto}")
                .append("table{border-collapse:collapse}td:first-child{white-space:nowrap}td,th{border:1px solid #ccc;padding:.3em .6em;text-align:left}")
                .append(".passed{color:#176f2c}.error,.stderr,.timeout,.deleted,.not-run,.unanswered{color:#a4161a}")
                .append("</style></head><body>\n");
        sb.append("<h1>").append(esc(notebook)).append("</h1>\n<p>Student: <b>").append(esc(student))
                .append("</b>. Score: <b>").append(points(score())).append(" / ").append(points(maxScore()))
                .append("</b> points");
        if (manualPoints() > 0) sb.append(" (").append(points(manualPoints())).append(" of them to be graded by hand)");
        sb.append(".</p>\n<table><tr><th>question</th><th>points</th><th>result</th><th>details</th></tr>\n");
        for (Grade.QuestionResult q : questions) {
            sb.append("<tr><td>").append(esc(q.gradeId())).append("</td><td>")
                    .append(q.score() == null ? "?" : points(q.score())).append(" / ").append(points(q.maxPoints()))
                    .append("</td><td class=\"").append(q.status().replace(' ', '-')).append("\">")
                    .append(esc(q.status())).append("</td><td>").append(esc(q.message())).append("</td></tr>\n");
        }
        sb.append("</table>\n");
        if (!runProblem.isEmpty()) sb.append("<p><b>The run ended early:</b> ").append(esc(runProblem)).append("</p>\n");
        if (!flags.isEmpty()) {
            sb.append("<h2>Notes for the instructor</h2>\n<ul>\n");
            for (String f : flags) sb.append("<li>").append(esc(f)).append("</li>\n");
            sb.append("</ul>\n");
        }
        sb.append("<p>A test cell that raises an error or writes to stderr scores 0; otherwise it scores its full"
                + " points (as in nbgrader).</p>\n</body></html>\n");
        Files.createDirectories(page.toAbsolutePath().getParent());
        Files.writeString(page, sb.toString(), StandardCharsets.UTF_8);
    }

    private static String esc(String s) {
        return s == null ? "" : s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
