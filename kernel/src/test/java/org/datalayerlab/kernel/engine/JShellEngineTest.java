package org.datalayerlab.kernel.engine;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class JShellEngineTest {

    static JShellEngine engine;

    @BeforeAll
    static void start() {
        engine = new JShellEngine(Path.of("."));
    }

    @AfterAll
    static void stop() {
        engine.close();
    }

    static CellEngine.CellResult run(String code, RecordingSink sink) {
        return engine.execute(code, sink);
    }

    static CellEngine.CellResult run(String code) {
        return run(code, new RecordingSink());
    }

    @Test
    void lastExpressionIsTheResult() {
        CellEngine.CellResult r = run("int a = 20;\nint b = 22;\na + b");
        assertEquals(CellEngine.CellResult.Status.OK, r.status(), () -> String.valueOf(r.error()));
        assertEquals("42", r.executeResult().get("text/plain"));
    }

    @Test
    void assertStatementsInCellsAreChecked() {
        CellEngine.CellResult r = run("int two = 2;\nassert two == 3 : \"two is not three\";");
        assertEquals(CellEngine.CellResult.Status.ERROR, r.status());
        assertEquals("java.lang.AssertionError", r.error().ename());
        assertTrue(r.error().evalue().contains("two is not three"), r.error().evalue());
    }

    @Test
    void statementsAndDeclarationsShowNothing() {
        assertNull(run("int unseen = 5;").executeResult());
        assertNull(run("System.out.print(\"\")").executeResult());
        assertNull(run("String nothing = null;\nnothing").executeResult());
    }

    @Test
    void stdoutAndStderrGoToTheSink() {
        RecordingSink sink = new RecordingSink();
        CellEngine.CellResult r = run("System.out.println(\"hello, world\");\nSystem.err.print(\"oops\");", sink);
        assertEquals(CellEngine.CellResult.Status.OK, r.status());
        assertEquals("hello, world\n", sink.out.toString());
        assertEquals("oops", sink.err.toString());
    }

    @Test
    void compileErrorNamesTheUsersLine() {
        CellEngine.CellResult r = run("int ok = 1;\n\nint bad = \"text\";");
        assertEquals(CellEngine.CellResult.Status.ERROR, r.status());
        assertEquals("CompileError", r.error().ename());
        String tb = String.join("\n", r.error().traceback());
        assertTrue(tb.contains("line 3"), tb);
        assertTrue(tb.contains("int bad = \"text\";"), tb);
        assertTrue(tb.contains("^"), tb);
    }

    @Test
    void runtimeErrorPointsAtUserLinesWithoutKernelFrames() {
        CellEngine.CellResult r = run("int divide(int a, int b) {\n    return a / b;\n}\nint x = 1;\ndivide(x, 0)");
        assertEquals(CellEngine.CellResult.Status.ERROR, r.status());
        assertEquals("java.lang.ArithmeticException", r.error().ename());
        assertEquals("/ by zero", r.error().evalue());
        List<String> tb = r.error().traceback();
        String all = String.join("\n", tb);
        assertTrue(all.contains("divide (line 2): return a / b;"), all);
        assertTrue(all.contains("line 5: divide(x, 0)"), all);
        for (String line : tb) {
            assertFalse(line.contains("jdk.jshell") || line.contains("org.datalayerlab.kernel")
                    || line.contains("reflect"), all);
        }
    }

    @Test
    void nextCellRunsAfterAnError() {
        run("throw new IllegalStateException(\"boom\");");
        assertEquals("3", run("1 + 2").executeResult().get("text/plain"));
    }
}
