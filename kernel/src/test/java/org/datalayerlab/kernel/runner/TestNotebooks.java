package org.datalayerlab.kernel.runner;

import com.google.gson.Gson;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Builds small notebooks for tests and checks notebooks with the real nbformat validator. */
final class TestNotebooks {

    private TestNotebooks() {
    }

    /** Cells given as "md:TEXT" or code text; written as nbformat 4.5 with the course's kernelspec. */
    static Path write(Path dir, String name, String... cells) throws IOException {
        JsonObject nb = new JsonObject();
        JsonArray array = new JsonArray();
        int id = 0;
        for (String c : cells) {
            JsonObject cell = new JsonObject();
            cell.addProperty("id", "cell-" + (id++));
            cell.add("metadata", new JsonObject());
            if (c.startsWith("md:")) {
                cell.addProperty("cell_type", "markdown");
                cell.addProperty("source", c.substring(3));
            } else {
                cell.addProperty("cell_type", "code");
                JsonArray lines = new JsonArray();
                for (String l : c.split("(?<=\n)")) lines.add(l);
                cell.add("source", lines);
                cell.add("outputs", new JsonArray());
                cell.add("execution_count", null);
            }
            array.add(cell);
        }
        nb.add("cells", array);
        JsonObject meta = new JsonObject();
        JsonObject ks = new JsonObject();
        ks.addProperty("name", "java-lab");
        ks.addProperty("display_name", "Java (Data Layer Lab)");
        ks.addProperty("language", "java");
        meta.add("kernelspec", ks);
        JsonObject li = new JsonObject();
        li.addProperty("name", "java");
        meta.add("language_info", li);
        nb.add("metadata", meta);
        nb.addProperty("nbformat", 4);
        nb.addProperty("nbformat_minor", 5);
        Path file = dir.resolve(name);
        Files.createDirectories(dir);
        Files.writeString(file, new com.google.gson.GsonBuilder().serializeNulls().create().toJson(nb), StandardCharsets.UTF_8);
        return file;
    }

    /** Validates with Debian's python3-nbformat, the validator Jupyter itself uses. */
    static void assertValidNbformat(Path notebook) throws Exception {
        Path python = Path.of("/usr/bin/python3");
        String script = "import sys, nbformat\n"
                + "nb = nbformat.read(sys.argv[1], as_version=nbformat.NO_CONVERT)\n"
                + "nbformat.validate(nb)\n"
                + "print('valid')\n";
        Process p = new ProcessBuilder(python.toString(), "-c", script, notebook.toString())
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor(60, TimeUnit.SECONDS);
        if (out.contains("No module named")) {
            throw new AssertionError("nbformat is missing: apt-get install python3-nbformat (" + out.trim() + ")");
        }
        assertEquals(0, p.exitValue(), "nbformat.validate rejected " + notebook + ":\n" + out);
    }
}
