package org.datalayerlab.kernel.cli;

import java.util.List;

/** One verb of the lab command line ({@code ./lab VERB ...}). Register new ones in {@link LabCli}. */
public interface Subcommand {

    /** The verb, e.g. "run". */
    String name();

    /** One line for the usage text, starting with the arguments, e.g. "[NOTEBOOK...]  runs ...". */
    String usage();

    /**
     * Runs the verb; returns the process exit code (0 success, 1 failure, 2 bad usage).
     * Throw {@link UsageException} for bad arguments: the CLI prints it with the usage text.
     */
    int run(List<String> args, CliContext context) throws Exception;

    /** Bad arguments: the message says what was wrong. */
    final class UsageException extends Exception {
        public UsageException(String message) {
            super(message);
        }
    }
}
