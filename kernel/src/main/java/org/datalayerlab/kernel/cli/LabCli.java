package org.datalayerlab.kernel.cli;

import org.datalayerlab.kernel.grading.GradeCommand;
import org.datalayerlab.kernel.grading.ReleaseCommand;
import org.datalayerlab.kernel.runner.RunCommand;
import org.datalayerlab.kernel.runner.StripCommand;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** {@code ./lab VERB [ARGS...]}: the course's command line. Add a verb by adding it to {@link #VERBS}. */
public final class LabCli {

    private static final Map<String, Subcommand> VERBS = new LinkedHashMap<>();

    static {
        register(new RunCommand());
        register(new ReleaseCommand());
        register(new GradeCommand());
        register(new StripCommand());
    }

    private LabCli() {
    }

    private static void register(Subcommand verb) {
        VERBS.put(verb.name(), verb);
    }

    public static void main(String[] args) {
        System.exit(run(List.of(args), CliContext.fromSystem()));
    }

    /** Runs a command line; returns the exit code. */
    public static int run(List<String> args, CliContext context) {
        if (args.isEmpty() || args.get(0).equals("-h") || args.get(0).equals("--help") || args.get(0).equals("help")) {
            context.out().print(usage());
            return args.isEmpty() ? 2 : 0;
        }
        Subcommand verb = VERBS.get(args.get(0));
        if (verb == null) {
            context.err().println("lab: unknown command '" + args.get(0) + "'");
            context.err().print(usage());
            return 2;
        }
        try {
            return verb.run(new ArrayList<>(args.subList(1, args.size())), context);
        } catch (Subcommand.UsageException e) {
            context.err().println("lab " + verb.name() + ": " + e.getMessage());
            context.err().println("usage: ./lab " + verb.name() + " " + verb.usage());
            return 2;
        } catch (Exception e) {
            context.err().println("lab " + verb.name() + ": " + e.getMessage());
            return 1;
        }
    }

    static String usage() {
        StringBuilder sb = new StringBuilder("usage: ./lab COMMAND [ARGS...]\n\ncommands:\n");
        VERBS.values().forEach(v -> sb.append("  ").append(v.name()).append(' ').append(v.usage()).append('\n'));
        return sb.toString();
    }
}
