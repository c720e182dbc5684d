package org.datalayerlab.kernel.runner;

import java.nio.file.Path;

/**
 * How one notebook run ended.
 *
 * @param failedCell 1-based position of the failing cell in the notebook (all cells counted,
 *                   as Jupyter shows them), 0 if none
 * @param error      one-line reason, empty when the notebook passed
 */
public record RunResult(String name, Path executed, double seconds, int cellsRun, int codeCells,
                        boolean passed, int failedCell, String error, int stderrCells) {

    public String status() {
        return passed ? "OK" : "FAILED";
    }

    /** The line the runner prints: name, seconds, cells, status. */
    public String line() {
        String base = String.format("%-6s %-36s %7.1f s  %3d/%d cells", status(), name, seconds, cellsRun, codeCells);
        if (!passed) return base + "  cell " + failedCell + ": " + error;
        if (stderrCells > 0) return base + "  (" + stderrCells + " cell(s) wrote to stderr)";
        return base;
    }
}
