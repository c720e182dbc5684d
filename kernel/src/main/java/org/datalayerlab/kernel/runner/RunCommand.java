package org.datalayerlab.kernel.runner;

import org.datalayerlab.kernel.cli.CliContext;
import org.datalayerlab.kernel.cli.Subcommand;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** {@code lab run [--timeout SECONDS] [NOTEBOOK...]}: executes notebooks headless. */
public final class RunCommand implements Subcommand {

    public static final long DEFAULT_CELL_TIMEOUT_SECONDS = 600;
    public static final String DEFAULT_SCALE = "ci";

    @Override
    public String name() {
        return "run";
    }

    @Override
    public String usage() {
        return "[--timeout SECONDS] [NOTEBOOK...]  runs notebooks headless (default: notebooks/*.ipynb);"
                + " executed copies and HTML go to target/executed/";
    }

    @Override
    public int run(List<String> args, CliContext ctx) throws Exception {
        long timeout = timeoutFromEnv(ctx);
        List<Path> notebooks = new ArrayList<>();
        for (int i = 0; i < args.size(); i++) {
            String a = args.get(i);
            if (a.equals("--timeout")) {
                if (i + 1 >= args.size()) throw new UsageException("--timeout needs a number of seconds");
                timeout = seconds(args.get(++i), "--timeout");
            } else if (a.startsWith("--timeout=")) {
                timeout = seconds(a.substring("--timeout=".length()), "--timeout");
            } else if (a.startsWith("-")) {
                throw new UsageException("unknown option " + a);
            } else {
                Path nb = Path.of(a).toAbsolutePath().normalize();
                if (!Files.isRegularFile(nb)) throw new UsageException("no such notebook: " + a);
                if (!a.endsWith(".ipynb")) throw new UsageException(a + " is not a notebook (.ipynb)");
                notebooks.add(nb);
            }
        }
        if (notebooks.isEmpty()) {
            notebooks = Notebook.listIn(ctx.home().resolve("notebooks"));
            if (notebooks.isEmpty()) {
                throw new UsageException("no notebooks in " + ctx.home().resolve("notebooks"));
            }
        }
        for (Path nb : notebooks) Notebook.read(nb); // reject bad input before running anything
        String engine = System.getProperty("lab.engine", EngineFactory.DEFAULT_ENGINE);
        // "run" is the check-everything command: quick scale unless the caller asked for another
        String scale = ctx.env().getOrDefault("LAB_SCALE", "");
        if (scale.isBlank()) scale = DEFAULT_SCALE;
        NotebookRunner runner = new NotebookRunner(ctx.home().resolve("target/executed"), timeout, engine,
                NotebookRunner.sameJvmCommand(), Map.of("LAB_SCALE", scale), ctx.out());
        ctx.out().println("Running " + notebooks.size() + " notebook(s): LAB_SCALE=" + scale
                + " LAB_BACKEND=" + ctx.env().getOrDefault("LAB_BACKEND", "auto") + ", cell timeout " + timeout + " s");
        List<RunResult> results = runner.runAll(notebooks);
        long failed = results.stream().filter(r -> !r.passed()).count();
        ctx.out().println("Executed notebooks and HTML pages: " + ctx.home().resolve("target/executed/index.html"));
        ctx.out().println("notebooks: " + (results.size() - failed) + " passed, " + failed + " failed");
        for (RunResult r : results) {
            if (r.passed()) continue;
            ctx.err().println("FAILED: " + r.name() + ", cell " + r.failedCell() + ": " + r.error());
            for (String line : NotebookRunner.tracebackOf(r.executed(), r.failedCell())) {
                ctx.err().println("    " + line);
            }
        }
        return failed == 0 ? 0 : 1;
    }

    private static long timeoutFromEnv(CliContext ctx) throws UsageException {
        String env = ctx.env().get("LAB_CELL_TIMEOUT");
        return env == null || env.isBlank() ? DEFAULT_CELL_TIMEOUT_SECONDS : seconds(env.trim(), "LAB_CELL_TIMEOUT");
    }

    private static long seconds(String value, String what) throws UsageException {
        try {
            long s = Long.parseLong(value);
            if (s > 0) return s;
        } catch (NumberFormatException ignored) {
            // reported below
        }
        throw new UsageException(what + " must be a positive number of seconds, not '" + value + "'");
    }
}
