package org.datalayerlab.kernel.runner;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import org.commonmark.Extension;
import org.commonmark.ext.gfm.tables.TablesExtension;
import org.commonmark.node.Link;
import org.commonmark.parser.Parser;
import org.commonmark.renderer.html.HtmlRenderer;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Static HTML pages of executed notebooks: markdown rendered, code with its outputs, charts inline. */
public final class HtmlReport {

    private static final List<Extension> EXTENSIONS = List.of(TablesExtension.create());
    private static final Parser MARKDOWN = Parser.builder().extensions(EXTENSIONS).build();
    private static final HtmlRenderer HTML = HtmlRenderer.builder().extensions(EXTENSIONS)
            // links between notebooks point at their HTML pages here
            .attributeProviderFactory(context -> (node, tag, attributes) -> {
                if (node instanceof Link) {
                    String href = attributes.get("href");
                    if (href != null && href.matches("[^:/]*\\.ipynb(#.*)?")) {
                        attributes.put("href", href.replaceFirst("\\.ipynb", ".html"));
                    }
                }
            })
            .build();
    private static final Gson GSON = new GsonBuilder().setPrettyPrinting().create();
    private static final String ANSI = "\u001B\\[[;\\d]*[A-Za-z]";

    private static final String STYLE = """
            body{font-family:system-ui,sans-serif;max-width:980px;margin:2em auto;padding:0 1em;line-height:1.5;color:#222}
            pre{background:#f6f8fa;padding:.6em;overflow-x:auto;border-radius:4px}
            .input pre{border-left:3px solid #4a7bd0}
            .prompt{color:#888;font-size:.8em;font-family:monospace}
            .stderr{background:#fff1f0} .error{background:#ffecec;border-left:3px solid #d04a4a}
            table{border-collapse:collapse} td,th{border:1px solid #ccc;padding:.25em .6em}
            img{max-width:100%} caption{text-align:left;white-space:nowrap;font-weight:bold} .ok{color:#1a7f37} .failed{color:#cf222e;font-weight:bold}
            """;

    private HtmlReport() {
    }

    /** Markdown to HTML (CommonMark with GitHub tables). */
    public static String markdown(String text) {
        return HTML.render(MARKDOWN.parse(text));
    }

    /** Writes the HTML page of one executed notebook. */
    public static void writePage(Path executedNotebook, Path page) throws IOException {
        if (!Files.exists(executedNotebook)) return;
        Notebook nb = Notebook.read(executedNotebook);
        StringBuilder html = new StringBuilder();
        String title = executedNotebook.getFileName().toString();
        html.append(head(title)).append("<p><a href=\"index.html\">&larr; all notebooks</a></p>\n");
        for (JsonElement c : nb.cells()) {
            JsonObject cell = c.getAsJsonObject();
            String type = Notebook.stringOr(cell, "cell_type", "");
            if (type.equals("markdown")) {
                html.append("<div class=\"markdown\">").append(markdown(Notebook.source(cell))).append("</div>\n");
            } else if (type.equals("code")) {
                JsonElement count = cell.get("execution_count");
                String prompt = count == null || count.isJsonNull() ? " " : count.getAsString();
                html.append("<div class=\"input\"><span class=\"prompt\">In [").append(prompt).append("]:</span><pre><code>")
                        .append(escape(Notebook.source(cell))).append("</code></pre></div>\n");
                JsonElement outputs = cell.get("outputs");
                if (outputs != null && outputs.isJsonArray()) {
                    for (JsonElement o : outputs.getAsJsonArray()) html.append(output(o.getAsJsonObject()));
                }
            }
        }
        html.append("</body></html>\n");
        Files.writeString(page, html, StandardCharsets.UTF_8);
    }

    private static String output(JsonObject o) {
        switch (Notebook.stringOr(o, "output_type", "")) {
            case "stream" -> {
                String cls = "stderr".equals(Notebook.stringOr(o, "name", "")) ? " class=\"stderr\"" : "";
                return "<pre" + cls + ">" + escape(Notebook.multiline(o.get("text"))) + "</pre>\n";
            }
            case "error" -> {
                StringBuilder text = new StringBuilder(Notebook.stringOr(o, "ename", "") + ": "
                        + Notebook.stringOr(o, "evalue", ""));
                JsonElement tb = o.get("traceback");
                if (tb != null && tb.isJsonArray()) {
                    for (JsonElement line : tb.getAsJsonArray()) text.append('\n').append(line.getAsString());
                }
                return "<pre class=\"error\">" + escape(text.toString().replaceAll(ANSI, "")) + "</pre>\n";
            }
            case "display_data", "execute_result" -> {
                return "<div class=\"output\">" + richest(o.getAsJsonObject("data")) + "</div>\n";
            }
            default -> {
                return "";
            }
        }
    }

    /** The richest representation we can show: PNG, then HTML, then Markdown, then plain text. */
    private static String richest(JsonObject data) {
        if (data == null) return "";
        if (data.has("image/png")) {
            return "<img alt=\"chart\" src=\"data:image/png;base64," + Notebook.multiline(data.get("image/png")).trim() + "\">";
        }
        if (data.has("image/svg+xml")) return Notebook.multiline(data.get("image/svg+xml"));
        if (data.has("text/html")) return Notebook.multiline(data.get("text/html"));
        if (data.has("text/markdown")) return markdown(Notebook.multiline(data.get("text/markdown")));
        if (data.has("text/plain")) return "<pre>" + escape(Notebook.multiline(data.get("text/plain"))) + "</pre>";
        return "";
    }

    /**
     * Writes index.html listing every notebook run into {@code dir} so far (this run's results
     * replace earlier ones of the same notebook; results.json keeps them between runs).
     */
    public static void writeIndex(Path dir, List<RunResult> latest) throws IOException {
        Path store = dir.resolve("results.json");
        Map<String, JsonObject> all = new TreeMap<>();
        if (Files.exists(store)) {
            try {
                for (JsonElement e : JsonParser.parseString(Files.readString(store)).getAsJsonArray()) {
                    JsonObject r = e.getAsJsonObject();
                    all.put(r.get("name").getAsString(), r);
                }
            } catch (RuntimeException corrupt) {
                all.clear(); // a damaged results file is rebuilt from this run
            }
        }
        for (RunResult r : latest) {
            JsonObject j = new JsonObject();
            j.addProperty("name", r.name());
            j.addProperty("seconds", Math.round(r.seconds() * 10) / 10.0);
            j.addProperty("cellsRun", r.cellsRun());
            j.addProperty("codeCells", r.codeCells());
            j.addProperty("passed", r.passed());
            j.addProperty("failedCell", r.failedCell());
            j.addProperty("error", r.error());
            all.put(r.name(), j);
        }
        JsonArray array = new JsonArray();
        all.values().forEach(array::add);
        Files.writeString(store, GSON.toJson(array) + "\n", StandardCharsets.UTF_8);

        StringBuilder html = new StringBuilder(head("Data Layer Lab: executed notebooks"));
        html.append("<h1>Data Layer Lab: executed notebooks</h1>\n<table><tr><th>notebook</th><th>status</th>"
                + "<th>seconds</th><th>cells</th><th>error</th><th>executed .ipynb</th></tr>\n");
        for (JsonObject r : all.values()) {
            String name = r.get("name").getAsString();
            boolean passed = r.get("passed").getAsBoolean();
            html.append("<tr><td><a href=\"").append(escape(NotebookRunner.htmlName(name))).append("\">")
                    .append(escape(name)).append("</a></td><td class=\"").append(passed ? "ok\">OK" : "failed\">FAILED")
                    .append("</td><td>").append(r.get("seconds").getAsString())
                    .append("</td><td>").append(r.get("cellsRun").getAsInt()).append('/').append(r.get("codeCells").getAsInt())
                    .append("</td><td>").append(passed ? "" : "cell " + r.get("failedCell").getAsInt() + ": "
                            + escape(r.get("error").getAsString()))
                    .append("</td><td><a href=\"").append(escape(name)).append("\">").append(escape(name)).append("</a></td></tr>\n");
        }
        html.append("</table>\n</body></html>\n");
        Files.writeString(dir.resolve("index.html"), html, StandardCharsets.UTF_8);
    }

    private static String head(String title) {
        return "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>" + escape(title) + "</title><style>"
                + STYLE + "</style></head><body>\n";
    }

    static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
