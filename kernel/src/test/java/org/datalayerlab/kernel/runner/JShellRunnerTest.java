package org.datalayerlab.kernel.runner;

import com.google.gson.JsonObject;
import org.datalayerlab.kernel.engine.JShellEngine;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The runner with the kernel's real JShell engine: charts, errors and System.exit in Java cells. */
class JShellRunnerTest {

    @TempDir
    Path tmp;

    private NotebookRunner runner(long timeoutSeconds) {
        return new NotebookRunner(tmp.resolve("out"), timeoutSeconds, JShellEngine.class.getName(),
                NotebookRunner.sameJvmCommand(), Map.of(), new PrintStream(new ByteArrayOutputStream(), true,
                StandardCharsets.UTF_8));
    }

    @Test
    void javaNotebookWithAChartRunsAndTheChartIsAPng() throws Exception {
        Path nb = TestNotebooks.write(tmp, "chart.ipynb",
                "md:# Chart",
                "import org.knowm.xchart.*;\n"
                        + "var chart = new XYChartBuilder().width(300).height(200).title(\"t\").build();\n"
                        + "chart.addSeries(\"s\", new double[] {1, 2, 3}, new double[] {1, 4, 9});\n"
                        + "chart",
                "System.out.println(\"sum \" + (1 + 2));\n6 * 7");

        RunResult r = runner(120).run(nb);

        assertTrue(r.passed(), r.line());
        Notebook done = Notebook.read(r.executed());
        JsonObject chart = done.cell(1).getAsJsonArray("outputs").get(0).getAsJsonObject();
        byte[] png = Base64.getDecoder().decode(chart.getAsJsonObject("data").get("image/png").getAsString());
        assertEquals('P', png[1]);
        assertEquals("sum 3\n", done.cell(2).getAsJsonArray("outputs").get(0).getAsJsonObject().get("text").getAsString());
        TestNotebooks.assertValidNbformat(r.executed());
    }

    @Test
    void aFailingJavaCellIsNamedWithItsError() throws Exception {
        Path nb = TestNotebooks.write(tmp, "fails.ipynb",
                "int x = 1;",
                "md:then",
                "if (x == 1) throw new IllegalStateException(\"replica lag too high\");",
                "System.out.println(\"never\");");

        RunResult r = runner(120).run(nb);

        assertFalse(r.passed());
        assertEquals(3, r.failedCell());
        assertTrue(r.error().contains("IllegalStateException"), r.error());
        assertTrue(r.error().contains("replica lag too high"), r.error());
        List<String> tb = NotebookRunner.tracebackOf(r.executed(), 3);
        assertFalse(tb.isEmpty(), "the traceback is kept");
    }

    @Test
    void systemExitInAJavaCellFailsTheNotebookOnly() throws Exception {
        Path nb = TestNotebooks.write(tmp, "exits.ipynb", "System.out.println(\"before\");", "System.exit(0);",
                "System.out.println(\"after\");");

        RunResult r = runner(120).run(nb);

        assertFalse(r.passed());
        assertEquals(2, r.failedCell());
        TestNotebooks.assertValidNbformat(r.executed());
    }
}
