package org.datalayerlab.kernel.grading;

import org.datalayerlab.kernel.cli.Subcommand.UsageException;
import org.datalayerlab.kernel.runner.Notebook;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Checks the files given on the command line, with messages that say what is wrong. */
final class GradingInput {

    private GradingInput() {
    }

    /** A path that must be an existing .ipynb file. */
    static Path notebookFile(String arg) throws UsageException {
        Path p = Path.of(arg).toAbsolutePath().normalize();
        if (!Files.exists(p)) throw new UsageException("no such file: " + arg);
        if (!Files.isRegularFile(p)) throw new UsageException(arg + " is not a file");
        if (!arg.endsWith(".ipynb")) {
            throw new UsageException(arg + " is not a notebook (expected a Jupyter .ipynb file)");
        }
        return p;
    }

    /** Reads a notebook; corrupt JSON or a non-notebook gets a message naming the file. */
    static Notebook read(Path file) throws UsageException {
        Notebook nb;
        try {
            nb = Notebook.read(file);
        } catch (IOException e) {
            throw new UsageException(e.getMessage()); // names the file and what is wrong
        } catch (RuntimeException e) {
            throw new UsageException(file + " is not a readable Jupyter notebook: " + e.getMessage());
        }
        if (!nb.json().get("cells").isJsonArray()) {
            throw new UsageException(file + " is not a Jupyter notebook (\"cells\" is not a list)");
        }
        for (var cell : nb.cells()) {
            if (!cell.isJsonObject()) throw new UsageException(file + " is not a Jupyter notebook (a cell is not an object)");
        }
        return nb;
    }
}
