package org.datalayerlab.kernel.runner;

import org.datalayerlab.kernel.cli.CliContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class StripCommandTest {

    /** The repository's notebooks/ (Maven runs tests in kernel/). */
    static final Path NOTEBOOKS = Path.of("..", "notebooks").toAbsolutePath().normalize();

    @Test
    void everyCommittedNotebookIsClean() throws Exception {
        List<Path> notebooks = Notebook.listIn(NOTEBOOKS);
        assertFalse(notebooks.isEmpty(), "no notebooks in " + NOTEBOOKS);
        List<String> dirty = new ArrayList<>();
        for (Path nb : notebooks) {
            String text = Files.readString(nb, StandardCharsets.UTF_8);
            if (!StripCommand.strip(text).equals(text)) {
                dirty.add(nb.getFileName().toString());
            }
        }
        assertEquals(List.of(), dirty, "notebooks committed with outputs or execution counts (run ./lab strip)");
    }

    @Test
    void stripRemovesOutputsAndCountsAndCheckReportsThem(@TempDir Path home) throws Exception {
        Path clean = NOTEBOOKS.resolve("00-index.ipynb");
        String original = Files.readString(clean, StandardCharsets.UTF_8);
        String executed = original.replaceFirst("\"execution_count\": null", "\"execution_count\": 7")
                .replaceFirst("\"outputs\": \\[\\]", "\"outputs\": [{\"output_type\": \"stream\", \"name\": \"stdout\", \"text\": \"hi\"}]");
        assertTrue(!executed.equals(original), "the fixture needs a code cell");
        Path nb = home.resolve("notebooks/00-index.ipynb");
        Files.createDirectories(nb.getParent());
        Files.writeString(nb, executed, StandardCharsets.UTF_8);

        ByteArrayOutputStream out = new ByteArrayOutputStream();
        CliContext ctx = new CliContext(home, Map.of(), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
        assertEquals(1, new StripCommand().run(List.of("--check"), ctx));
        assertEquals(executed, Files.readString(nb, StandardCharsets.UTF_8), "--check must not change files");
        assertEquals(0, new StripCommand().run(List.of(), ctx));
        assertEquals(original, Files.readString(nb, StandardCharsets.UTF_8));
        assertEquals(0, new StripCommand().run(List.of("--check"), ctx));
    }
}
