package org.datalayerlab.kernel.engine;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Completion and inspection where people type: in the middle of a multi-line cell. */
class CompletionTest {

    static JShellEngine engine;

    @BeforeAll
    static void start() {
        engine = new JShellEngine(Path.of("."));
    }

    @AfterAll
    static void stop() {
        engine.close();
    }

    /** Completes at the end of {@code code}; asserts {@code expected} is offered and replaces the typed word. */
    static void offers(String code, String typed, String expected) {
        CellEngine.Completion c = engine.complete(code, code.length());
        assertTrue(c.matches().contains(expected), code + " -> " + c.matches());
        assertEquals(code.length() - typed.length(), c.start(), "replaces from the start of " + typed);
        assertEquals(code.length(), c.end());
    }

    @Test
    void aVariableDeclaredEarlierInTheCell() {
        offers("var s = \"abc\";\ns.toUpp", "toUpp", "toUpperCase(");
    }

    @Test
    void aVariableDeclaredEarlierOnTheSameLine() {
        offers("String s = \"x\"; s.toUpperC", "toUpperC", "toUpperCase(");
    }

    @Test
    void aTypeImportedEarlierInTheCell() {
        offers("import java.time.*;\nvar n = 1;\nLocalD", "LocalD", "LocalDate");
    }

    @Test
    void aRecordDeclaredEarlierInTheCell() {
        offers("record Point(int x, int y) {}\nvar p = new Point(1, 2);\np.x", "x", "x()");
    }

    @Test
    void inTheMiddleOfACellBeforeLaterLines() {
        String code = "var list = new ArrayList<String>();\nlist.si\nSystem.out.println(list);";
        int cursor = code.indexOf("list.si") + "list.si".length();
        CellEngine.Completion c = engine.complete(code, cursor);
        assertTrue(c.matches().contains("size()"), String.valueOf(c.matches()));
        assertEquals(cursor - 2, c.start());
    }

    @Test
    void stillCompletesFromEarlierCells() {
        CellEngine.CellResult r = engine.execute("String earlier = \"e\";", new RecordingSink());
        assertEquals(CellEngine.CellResult.Status.OK, r.status());
        offers("int x = 1;\nearlier.isBl", "isBl", "isBlank()");
        offers("Math.sqr", "sqr", "sqrt(");
    }

    @Test
    void inspectionShowsJavadocWhenTheJdkShipsIt() {
        Map<String, Object> doc = engine.inspect("Math.abs", "Math.abs".length(), 0);
        assertNotNull(doc);
        String text = (String) doc.get("text/plain");
        assertTrue(text.contains("abs("), text);
    }
}
