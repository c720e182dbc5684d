package org.datalayerlab.kernel.cli;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Map;

/**
 * What a subcommand needs from its surroundings, passed in so tests can supply their own.
 *
 * @param home the repository root (notebooks/, target/); the ./lab script passes it as -Dlab.home
 * @param env  the environment variables (LAB_CELL_TIMEOUT, ...)
 */
public record CliContext(Path home, Map<String, String> env, PrintStream out, PrintStream err) {

    public static CliContext fromSystem() {
        String home = System.getProperty("lab.home");
        return new CliContext(Path.of(home == null ? "." : home).toAbsolutePath().normalize(), System.getenv(),
                System.out, System.err);
    }
}
