package org.datalayerlab.kernel.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The command line's answers to bad input: a clear message and exit code 2 (usage) or 1 (failure). */
class LabCliTest {

    @TempDir
    Path home;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int lab(Map<String, String> env, String... args) {
        return LabCli.run(List.of(args), new CliContext(home, env, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8)));
    }

    @Test
    void unknownCommandListsTheCommands() {
        assertEquals(2, lab(Map.of(), "frobnicate"));
        assertTrue(err.toString().contains("unknown command 'frobnicate'"), err.toString());
        assertTrue(err.toString().contains("run [--timeout SECONDS]"), err.toString());
    }

    @Test
    void helpSucceeds() {
        assertEquals(0, lab(Map.of(), "--help"));
        assertTrue(out.toString().contains("commands:"));
    }

    @Test
    void badTimeoutsAreUsageErrors() {
        assertEquals(2, lab(Map.of(), "run", "--timeout", "soon"));
        assertTrue(err.toString().contains("--timeout must be a positive number of seconds, not 'soon'"), err.toString());
        assertEquals(2, lab(Map.of("LAB_CELL_TIMEOUT", "-5"), "run"));
        assertTrue(err.toString().contains("LAB_CELL_TIMEOUT must be a positive number"), err.toString());
    }

    @Test
    void missingNotebooksAreNamed() {
        assertEquals(2, lab(Map.of(), "run", "nope.ipynb"));
        assertTrue(err.toString().contains("no such notebook: nope.ipynb"), err.toString());
        assertEquals(2, lab(Map.of(), "run"));
        assertTrue(err.toString().contains("no notebooks in"), err.toString());
    }

    @Test
    void aFileThatIsNotANotebookGetsAClearError() throws Exception {
        Path bogus = Files.writeString(home.resolve("bogus.ipynb"), "{ this is not json");
        assertEquals(1, lab(Map.of(), "run", bogus.toString()));
        assertTrue(err.toString().contains("is not valid JSON"), err.toString());
        Path other = Files.writeString(home.resolve("other.ipynb"), "{\"hello\": 1}");
        assertEquals(1, lab(Map.of(), "run", other.toString()));
        assertTrue(err.toString().contains("is not a Jupyter notebook"), err.toString());
    }
}
