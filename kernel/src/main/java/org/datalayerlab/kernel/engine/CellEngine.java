package org.datalayerlab.kernel.engine;

import java.util.List;
import java.util.Map;

/**
 * Executes notebook code cells: JShell inside this JVM plus the IJava magics and renderers.
 * The Jupyter kernel and the headless runner both drive one of these, so a notebook behaves
 * the same in JupyterLab and in CI.
 */
public interface CellEngine extends AutoCloseable {

    /** Runs one cell; outputs stream to {@code sink} while it runs; blocks until done. */
    CellResult execute(String code, OutputSink sink);

    /** Stops the running cell (busy loops and sleeps alike) within about a second. */
    void interrupt();

    /** Completion candidates at {@code cursor}: the text to replace [start, end) and the matches. */
    Completion complete(String code, int cursor);

    /** Documentation for the identifier at {@code cursor}, as a MIME bundle; null if none. */
    Map<String, Object> inspect(String code, int cursor, int detailLevel);

    /** "complete", "incomplete" (with an indent) or "invalid", as Jupyter's is_complete_reply. */
    String isComplete(String code);

    /** Waits until the engine can run, complete and inspect without delay (JShell has started). */
    default void awaitReady() {
    }

    /** Stops everything the cells started that the engine knows of and frees the JShell state. */
    @Override
    void close();

    /** Receives a cell's output as it happens. */
    interface OutputSink {
        void stdout(String text);

        void stderr(String text);

        /** display_data (update=false) or update_display_data (update=true); displayId may be null. */
        void display(Map<String, Object> mimeBundle, String displayId, boolean update);

        /** clear_output: drop the cell's outputs now, or (wait) just before its next output arrives. */
        void clearOutput(boolean wait);

        /** True when a person watches the outputs as they come (Jupyter); progress lines show only then. */
        default boolean live() {
            return false;
        }
    }

    /** The outcome of one cell. */
    record CellResult(Status status, Map<String, Object> executeResult, CellError error) {
        public enum Status { OK, ERROR, INTERRUPTED }
    }

    /** An error as Jupyter shows it: name, value and traceback lines pointing at the user's code. */
    record CellError(String ename, String evalue, List<String> traceback) {}

    record Completion(int start, int end, List<String> matches) {}
}
