package org.datalayerlab.kernel.runner;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The runner against a scripted engine in real child JVMs: outputs, failures, isolation, timeouts. */
class NotebookRunnerTest {

    @TempDir
    Path tmp;

    private final ByteArrayOutputStream console = new ByteArrayOutputStream();

    private NotebookRunner runner(long timeoutSeconds) {
        return new NotebookRunner(tmp.resolve("out"), timeoutSeconds, ScriptedEngine.class.getName(),
                NotebookRunner.sameJvmCommand(), java.util.Map.of("LAB_SCALE", "ci"), new PrintStream(console, true, StandardCharsets.UTF_8));
    }

    private static JsonArray outputs(Notebook nb, int cell) {
        return nb.cell(cell).getAsJsonArray("outputs");
    }

    @Test
    void executesCellsInOrderAndWritesValidNotebookAndHtml() throws Exception {
        Path nb = TestNotebooks.write(tmp.resolve("nbs"), "01-demo.ipynb",
                "md:# Demo\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\nNext: [sharding](03-sharding-strategies.ipynb)",
                "print hello\nprint world\neprint careful\n",
                "png",
                "display d1 first\nresult 42",
                "update d1 second\ncwd\nenv LAB_NOTEBOOK\nenv LAB_SCALE");

        List<RunResult> results = runner(60).runAll(List.of(nb));

        RunResult r = results.get(0);
        assertTrue(r.passed(), r.line());
        assertEquals(4, r.cellsRun());
        assertEquals(1, r.stderrCells());
        Path executed = tmp.resolve("out/01-demo.ipynb");
        TestNotebooks.assertValidNbformat(executed);
        Notebook done = Notebook.read(executed);
        assertEquals("java-lab", done.json().getAsJsonObject("metadata").getAsJsonObject("kernelspec")
                .get("name").getAsString());
        assertEquals(1, done.cell(1).get("execution_count").getAsInt());
        assertEquals(4, done.cell(4).get("execution_count").getAsInt());

        JsonArray first = outputs(done, 1); // stdout merged into one stream output, then stderr
        assertEquals(2, first.size());
        assertEquals("hello\nworld\n", first.get(0).getAsJsonObject().get("text").getAsString());
        assertEquals("stderr", first.get(1).getAsJsonObject().get("name").getAsString());

        JsonObject image = outputs(done, 2).get(0).getAsJsonObject();
        assertEquals("display_data", image.get("output_type").getAsString());
        byte[] png = Base64.getDecoder().decode(image.getAsJsonObject("data").get("image/png").getAsString());
        assertEquals((byte) 0x89, png[0]);
        assertEquals('P', png[1]);

        JsonArray third = outputs(done, 3);
        assertEquals("second", third.get(0).getAsJsonObject().getAsJsonObject("data").get("text/plain").getAsString(),
                "update_display_data replaces the earlier display with the same id");
        JsonObject result = third.get(1).getAsJsonObject();
        assertEquals("execute_result", result.get("output_type").getAsString());
        assertEquals(3, result.get("execution_count").getAsInt());

        String fourth = outputs(done, 4).get(0).getAsJsonObject().get("text").getAsString();
        assertTrue(fourth.contains(nb.getParent().toString()), "working directory is the notebook's folder: " + fourth);
        assertTrue(fourth.contains("LAB_NOTEBOOK=01-demo.ipynb"), fourth);
        assertTrue(fourth.contains("LAB_SCALE=ci"), "the runner's environment reaches the notebook: " + fourth);

        String html = Files.readString(tmp.resolve("out/01-demo.html"));
        assertTrue(html.contains("<table>"), "GFM tables rendered");
        assertTrue(html.contains("href=\"03-sharding-strategies.html\""), "notebook links point at HTML pages");
        assertTrue(html.contains("<img alt=\"chart\" src=\"data:image/png;base64,"), "PNG embedded inline");
        assertTrue(Files.readString(tmp.resolve("out/index.html")).contains("01-demo.html"));
        assertTrue(console.toString().contains("OK     01-demo.ipynb"), console.toString());
    }

    @Test
    void stopsAtTheFirstFailingCellAndKeepsTheCopyUpToThere() throws Exception {
        Path nb = TestNotebooks.write(tmp, "fails.ipynb", "md:intro", "print a", "fail boom", "print never");

        RunResult r = runner(60).run(nb);

        assertFalse(r.passed());
        assertEquals(3, r.failedCell(), "cells are counted as Jupyter shows them, markdown included");
        assertEquals(2, r.cellsRun());
        assertTrue(r.error().contains("TestError: boom"), r.error());
        Notebook done = Notebook.read(r.executed());
        assertEquals("error", outputs(done, 2).get(0).getAsJsonObject().get("output_type").getAsString());
        assertTrue(done.cell(3).get("execution_count").isJsonNull(), "cells after the failure do not run");
        assertEquals(List.of("TestError: boom", "    at line 1"), NotebookRunner.tracebackOf(r.executed(), 3));
        TestNotebooks.assertValidNbformat(r.executed());
    }

    @Test
    void aNotebookCallingSystemExitFailsWithoutStoppingTheRunner() throws Exception {
        Path bad = TestNotebooks.write(tmp, "a-exits.ipynb", "print before", "exit 0", "print after");
        Path good = TestNotebooks.write(tmp, "b-fine.ipynb", "print fine");

        List<RunResult> results = runner(60).runAll(List.of(bad, good));

        assertFalse(results.get(0).passed());
        assertEquals(2, results.get(0).failedCell());
        assertTrue(results.get(0).error().contains("System.exit"), results.get(0).error());
        Notebook done = Notebook.read(results.get(0).executed());
        assertEquals("before\n", outputs(done, 0).get(0).getAsJsonObject().get("text").getAsString());
        TestNotebooks.assertValidNbformat(results.get(0).executed());
        assertTrue(results.get(1).passed(), results.get(1).line());
    }

    @Test
    void aSlowCellIsInterruptedAtTheTimeout() throws Exception {
        Path nb = TestNotebooks.write(tmp, "slow.ipynb", "sleep 600000", "print never");
        long start = System.nanoTime();

        RunResult r = runner(1).run(nb);

        assertFalse(r.passed());
        assertTrue(r.error().startsWith("CellTimeout"), r.error());
        assertTrue(r.error().contains("interrupted"), r.error());
        assertTrue((System.nanoTime() - start) / 1e9 < 60, "the timeout stopped the cell");
    }

    @Test
    void aCellIgnoringTheInterruptIsStoppedHard() throws Exception {
        Path nb = TestNotebooks.write(tmp, "stuck.ipynb", "hang 600000", "print never");
        long start = System.nanoTime();

        RunResult r = runner(1).run(nb);

        assertFalse(r.passed());
        assertTrue(r.error().contains("did not stop"), r.error());
        assertTrue((System.nanoTime() - start) / 1e9 < 120, "stopped after the interrupt grace period");
        TestNotebooks.assertValidNbformat(r.executed());
    }

    @Test
    void leakedNonDaemonThreadsDoNotKeepTheRunWaiting() throws Exception {
        Path nb = TestNotebooks.write(tmp, "leaks.ipynb", "thread", "print still fine");

        RunResult r = runner(60).run(nb);

        assertTrue(r.passed(), r.line());
        assertTrue(r.seconds() < 60, "finished without waiting for the leaked thread: " + r.seconds());
    }

    @Test
    void keepGoingRunsEveryCellAndNamesTheFirstFailure() throws Exception {
        Path nb = TestNotebooks.write(tmp, "homework.ipynb", "print one", "fail first", "print three", "fail second",
                "print five");

        RunResult r = runner(60).keepGoingAfterErrors().run(nb);

        assertFalse(r.passed());
        assertEquals(5, r.cellsRun());
        assertEquals(2, r.failedCell());
        assertTrue(r.error().contains("first"), r.error());
        Notebook done = Notebook.read(r.executed());
        assertEquals("five\n", outputs(done, 4).get(0).getAsJsonObject().get("text").getAsString());
        assertEquals("second", outputs(done, 3).get(0).getAsJsonObject().get("evalue").getAsString());
        TestNotebooks.assertValidNbformat(r.executed());
    }

    @Test
    void runsInTheWorkingFolderGiven() throws Exception {
        Path nb = TestNotebooks.write(tmp.resolve("copies"), "where.ipynb", "cwd");
        Path folder = java.nio.file.Files.createDirectories(tmp.resolve("course/notebooks"));

        RunResult r = runner(60).run(nb, folder);

        assertTrue(r.passed(), r.line());
        assertEquals(folder + "\n", outputs(Notebook.read(r.executed()), 0).get(0).getAsJsonObject().get("text").getAsString());
    }
}
