package org.datalayerlab.kernel.grading;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import org.datalayerlab.kernel.runner.Notebook;

import java.util.ArrayList;
import java.util.List;

/**
 * The lines of an assignment a student must not see (solutions, hidden tests), to keep them out of
 * what the grader shows: an error message that quotes one gets "[hidden]" in its place.
 */
final class Secrets {

    /** Shorter lines ("}", "return x;") say nothing and would blank out innocent messages. */
    private static final int SHORTEST = 16;

    private final List<String> lines;

    private Secrets(List<String> lines) {
        this.lines = lines;
    }

    static Secrets of(Notebook instructor) {
        List<String> lines = new ArrayList<>();
        for (JsonElement c : instructor.cells()) {
            JsonObject cell = c.getAsJsonObject();
            boolean inside = false;
            for (String line : Notebook.source(cell).split("\n")) {
                String t = line.strip();
                if (t.contains("BEGIN SOLUTION") || t.contains("BEGIN HIDDEN TESTS")) {
                    inside = true;
                } else if (t.contains("END SOLUTION") || t.contains("END HIDDEN TESTS")) {
                    inside = false;
                } else if (inside && t.length() >= SHORTEST) {
                    lines.add(t);
                }
            }
        }
        return new Secrets(List.copyOf(lines));
    }

    List<String> lines() {
        return lines;
    }

    String redact(String text) {
        if (text == null) return null;
        String out = text;
        for (String line : lines) out = out.replace(line, "[hidden]");
        return out;
    }
}
