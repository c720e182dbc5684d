package org.datalayerlab.kernel.engine;

import jdk.jshell.Diag;
import jdk.jshell.EvalException;
import jdk.jshell.JShellException;
import jdk.jshell.UnresolvedReferenceException;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Builds Jupyter errors that point at the user's cell lines. JShell names a snippet's frames
 * "#id:line" (line within the snippet); this class remembers where each snippet sat in its cell
 * and rewrites those frames as "line N", leaving out JShell's, reflection's and the kernel's frames.
 */
final class Tracebacks {

    /** Where a snippet came from: its origin ("this cell" or a label), first cell line and source lines. */
    record SnippetOrigin(long cellIndex, String label, int firstLine, String[] lines) {}

    private final Map<String, SnippetOrigin> origins = new ConcurrentHashMap<>();

    void remember(String snippetId, SnippetOrigin origin) {
        origins.put(snippetId, origin);
    }

    void forget(String snippetId) {
        origins.remove(snippetId);
    }

    CellEngine.CellError compileError(List<Diag> diags, String source, CellSource.Segment segment,
                                      int snippetOffset, String label) {
        List<String> traceback = new ArrayList<>();
        String firstMessage = null;
        for (Diag diag : diags) {
            if (!diag.isError()) {
                continue;
            }
            String message = diag.getMessage(Locale.ROOT);
            if (firstMessage == null) {
                firstMessage = message;
            }
            int pos = (int) Math.max(0, Math.min(diag.getPosition(), source.length()));
            int start = (int) Math.max(0, Math.min(diag.getStartPosition(), pos));
            int end = (int) Math.max(pos + 1, Math.min(diag.getEndPosition(), source.length()));
            int lineStart = source.lastIndexOf('\n', Math.max(0, pos - 1)) + 1;
            if (pos > 0 && source.charAt(pos - 1) == '\n') {
                lineStart = pos;
            }
            int lineEnd = source.indexOf('\n', lineStart);
            if (lineEnd < 0) {
                lineEnd = source.length();
            }
            int line = segment.lineAt(snippetOffset + pos);
            String lineText = source.substring(lineStart, lineEnd);
            int caretFrom = Math.max(start, lineStart) - lineStart;
            int caretTo = Math.max(caretFrom + 1, Math.min(end, lineEnd) - lineStart);
            traceback.add("Compile error at " + where(label, line) + ": " + message);
            traceback.add("    " + lineText.stripTrailing());
            traceback.add("    " + " ".repeat(caretFrom) + "^".repeat(Math.max(1, caretTo - caretFrom)));
        }
        if (firstMessage == null) {
            firstMessage = "the code does not compile";
            traceback.add(firstMessage);
        }
        return new CellEngine.CellError("CompileError", firstMessage, traceback);
    }

    CellEngine.CellError runtimeError(JShellException exception, long currentCell) {
        List<String> traceback = new ArrayList<>();
        String ename;
        String evalue = exception.getMessage() == null ? "" : exception.getMessage();
        if (exception instanceof EvalException) {
            ename = ((EvalException) exception).getExceptionClassName();
        } else if (exception instanceof UnresolvedReferenceException) {
            ename = "UnresolvedReference";
            evalue = ((UnresolvedReferenceException) exception).getSnippet().toString();
        } else {
            ename = exception.getClass().getName();
        }
        appendThrowable(traceback, exception, currentCell, "");
        return new CellEngine.CellError(ename, evalue, traceback);
    }

    private void appendThrowable(List<String> out, Throwable t, long currentCell, String prefix) {
        String name = t instanceof EvalException ? ((EvalException) t).getExceptionClassName() : t.getClass().getName();
        out.add(prefix + name + (t.getMessage() == null ? "" : ": " + t.getMessage()));
        for (StackTraceElement frame : t.getStackTrace()) {
            if (isKernelFrame(frame)) {
                break; // below the cell's own frames: JShell, reflection, the kernel
            }
            out.add("    at " + describe(frame, currentCell));
        }
        if (t.getCause() != null && t.getCause() != t) {
            appendThrowable(out, t.getCause(), currentCell, "Caused by: ");
        }
    }

    private static boolean isKernelFrame(StackTraceElement frame) {
        String c = frame.getClassName();
        return c.startsWith("jdk.jshell.") || c.startsWith("jdk.internal.reflect.")
                || c.startsWith("java.lang.reflect.") || c.startsWith("org.datalayerlab.kernel.engine.")
                || c.startsWith("java.lang.invoke.");
    }

    private String describe(StackTraceElement frame, long currentCell) {
        String file = frame.getFileName();
        SnippetOrigin origin = file != null && file.startsWith("#") ? origins.get(file.substring(1)) : null;
        if (origin == null) {
            return frame.toString();
        }
        String method = frame.getClassName().isEmpty() ? frame.getMethodName() : frame.getClassName() + "." + frame.getMethodName();
        int snippetLine = Math.max(1, frame.getLineNumber());
        int line = origin.firstLine() + snippetLine - 1;
        String text = snippetLine <= origin.lines().length ? origin.lines()[snippetLine - 1].strip() : "";
        String label = origin.cellIndex() == currentCell ? origin.label() : "an earlier cell";
        String place = where(label, line);
        return (method.isEmpty() ? place : method + " (" + place + ")") + (text.isEmpty() ? "" : ": " + text);
    }

    private static String where(String label, int line) {
        return label == null ? "line " + line : "line " + line + " of " + label;
    }

    static CellEngine.CellError interrupted() {
        return new CellEngine.CellError("Interrupted", "the cell was interrupted",
                List.of("Interrupted: the cell was interrupted"));
    }
}
