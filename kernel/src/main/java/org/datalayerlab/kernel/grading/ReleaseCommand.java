package org.datalayerlab.kernel.grading;

import org.datalayerlab.kernel.cli.CliContext;
import org.datalayerlab.kernel.cli.Subcommand;
import org.datalayerlab.kernel.runner.Notebook;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** {@code lab release [--force] [NOTEBOOK...]}: writes student versions to target/release/. */
public final class ReleaseCommand implements Subcommand {

    @Override
    public String name() {
        return "release";
    }

    @Override
    public String usage() {
        return "[--force] [NOTEBOOK...]  writes student versions (no solutions, no hidden tests) to target/release/"
                + " (default: every notebook in notebooks/ with nbgrader cells)";
    }

    @Override
    public int run(List<String> args, CliContext ctx) throws Exception {
        boolean force = false;
        List<Path> notebooks = new ArrayList<>();
        for (String a : args) {
            if (a.equals("--force")) {
                force = true;
            } else if (a.startsWith("-")) {
                throw new UsageException("unknown option " + a);
            } else {
                notebooks.add(GradingInput.notebookFile(a));
            }
        }
        boolean explicit = !notebooks.isEmpty();
        if (!explicit) notebooks = Notebook.listIn(ctx.home().resolve("notebooks"));

        // read and transform everything first: bad input stops before anything is written
        Map<Path, Notebook> released = new LinkedHashMap<>();
        for (Path nb : notebooks) {
            Notebook instructor = GradingInput.read(nb);
            if (!Release.isAssignment(instructor)) {
                if (explicit) {
                    throw new UsageException(nb + " has no nbgrader cells (metadata.nbgrader with a grade_id):"
                            + " nothing to release");
                }
                continue;
            }
            try {
                released.put(nb, Release.studentVersion(instructor, nb.getFileName().toString()));
            } catch (Release.ReleaseException e) {
                ctx.err().println("lab release: " + e.getMessage());
                return 1;
            }
        }
        if (released.isEmpty()) {
            throw new UsageException("no notebook in " + ctx.home().resolve("notebooks")
                    + " has nbgrader cells: nothing to release");
        }
        Path outDir = ctx.home().resolve("target/release");
        List<Path> existing = new ArrayList<>();
        for (Path nb : released.keySet()) {
            Path out = outDir.resolve(nb.getFileName());
            if (Files.exists(out)) existing.add(out);
        }
        if (!existing.isEmpty() && !force) {
            ctx.err().println("lab release: not overwriting " + existing.size() + " existing file(s): " + existing);
            ctx.err().println("  pass --force to replace them");
            return 1;
        }
        for (Map.Entry<Path, Notebook> e : released.entrySet()) {
            Path out = outDir.resolve(e.getKey().getFileName());
            e.getValue().write(out);
            Release.Summary s = Release.Summary.of(e.getValue());
            ctx.out().printf("released %-36s %d solution cell(s), %d graded cell(s), %s points -> %s%n",
                    e.getKey().getFileName(), s.solutionCells(), s.gradedCells(),
                    Report.points(s.points()), ctx.home().relativize(out));
        }
        ctx.out().println("Give students the notebooks in " + outDir + "; grade their copies with ./lab grade.");
        return 0;
    }
}
