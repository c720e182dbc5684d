package org.datalayerlab.kernel.runner;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonNull;
import com.google.gson.JsonObject;
import com.google.gson.stream.JsonWriter;
import org.datalayerlab.kernel.cli.CliContext;
import org.datalayerlab.kernel.cli.Subcommand;

import java.io.IOException;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code lab strip [--check] [NOTEBOOK...]}: removes outputs and execution counts from notebooks
 * (saving in Jupyter writes them into the tracked files). Writes as Jupyter does (one-space indent),
 * so a clean notebook is left byte for byte as it was. With --check it changes nothing and fails if
 * any notebook has outputs.
 */
public final class StripCommand implements Subcommand {

    private static final Gson GSON = new GsonBuilder().disableHtmlEscaping().serializeNulls().create();

    @Override
    public String name() {
        return "strip";
    }

    @Override
    public String usage() {
        return "[--check] [NOTEBOOK...]  removes outputs and execution counts (default: notebooks/*.ipynb);"
                + " --check only reports notebooks that have them";
    }

    @Override
    public int run(List<String> args, CliContext ctx) throws Exception {
        boolean check = false;
        List<Path> notebooks = new ArrayList<>();
        for (String arg : args) {
            if (arg.equals("--check")) {
                check = true;
            } else if (arg.startsWith("-")) {
                throw new UsageException("unknown option " + arg);
            } else {
                Path p = ctx.home().resolve(arg).normalize();
                if (!Files.isRegularFile(p)) {
                    throw new UsageException("no notebook at " + p);
                }
                notebooks.add(p);
            }
        }
        if (notebooks.isEmpty()) {
            notebooks = Notebook.listIn(ctx.home().resolve("notebooks"));
        }
        int dirty = 0;
        for (Path file : notebooks) {
            String before = Files.readString(file, StandardCharsets.UTF_8);
            String after = strip(before);
            if (after.equals(before)) {
                continue;
            }
            dirty++;
            if (check) {
                ctx.out().println("has outputs or execution counts: " + ctx.home().relativize(file.toAbsolutePath()));
            } else {
                write(file, after);
                ctx.out().println("stripped " + ctx.home().relativize(file.toAbsolutePath()));
            }
        }
        if (check && dirty > 0) {
            ctx.err().println("lab strip: " + dirty + " notebook(s) have outputs; run ./lab strip before committing");
            return 1;
        }
        return 0;
    }

    /** The notebook's JSON without outputs and execution counts, formatted as Jupyter writes it. */
    static String strip(String notebookJson) throws IOException {
        JsonObject nb = GSON.fromJson(notebookJson, JsonObject.class);
        if (nb == null || !nb.has("cells")) {
            throw new IOException("not a notebook (no \"cells\")");
        }
        for (JsonElement c : nb.getAsJsonArray("cells")) {
            JsonObject cell = c.getAsJsonObject();
            if (Notebook.isCode(cell)) {
                cell.add("outputs", new JsonArray());
                cell.add("execution_count", JsonNull.INSTANCE);
            }
            JsonObject metadata = cell.getAsJsonObject("metadata");
            if (metadata != null) {
                metadata.remove("execution"); // JupyterLab's run timestamps
            }
        }
        StringWriter text = new StringWriter();
        JsonWriter writer = new JsonWriter(text);
        writer.setIndent(" ");
        writer.setHtmlSafe(false);
        writer.setSerializeNulls(true);
        GSON.toJson(nb, writer);
        writer.flush();
        return text + "\n";
    }

    private static void write(Path file, String text) throws IOException {
        Path tmp = Files.createTempFile(file.toAbsolutePath().getParent(), ".strip-", ".tmp");
        Files.writeString(tmp, text, StandardCharsets.UTF_8);
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
}
