package org.datalayerlab.kernel.engine;

import jdk.jshell.DeclarationSnippet;
import jdk.jshell.Diag;
import jdk.jshell.JShell;
import jdk.jshell.Snippet;
import jdk.jshell.SnippetEvent;
import jdk.jshell.SourceCodeAnalysis;
import jdk.jshell.VarSnippet;
import jdk.jshell.spi.ExecutionControl;
import jdk.jshell.spi.ExecutionControlProvider;
import jdk.jshell.spi.ExecutionEnv;
import org.datalayerlab.kernel.display.DisplayTarget;
import org.datalayerlab.kernel.display.Renderers;

import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;

/**
 * Runs notebook cells with JShell inside this JVM, so cell values reach the renderers as objects.
 *
 * <p>Threading: {@link #execute} blocks until the cell is done; the cell itself runs on one
 * engine-owned thread ("lab-cell"). {@link #interrupt} may be called from any other thread.
 * {@link #complete}, {@link #inspect} and {@link #isComplete} wait while a cell runs.
 * Cells' System.out and System.err go to the running cell's sink.
 */
public final class JShellEngine implements CellEngine {

    /** Expression results ($1, $2, ...) kept reachable; older ones are dropped to bound memory. */
    static final int KEPT_TEMPORARIES = 20;

    /** The imports of JShell's default start-up plus the display API. */
    static final List<String> STARTUP_IMPORTS = List.of(
            "java.io.*", "java.math.*", "java.net.*", "java.nio.file.*", "java.util.*",
            "java.util.concurrent.*", "java.util.function.*", "java.util.regex.*", "java.util.stream.*");
    static final String DISPLAY_IMPORT = "import static org.datalayerlab.kernel.display.Display.*;";

    private final Path workingDirectory;
    private final ExecutorService cellExecutor;
    private final CompletableFuture<Void> ready;
    private final Object jshellLock = new Object();
    private final Tracebacks tracebacks = new Tracebacks();
    private final Deque<VarSnippet> temporaries = new ArrayDeque<>();
    private final Magics magics;

    private volatile Thread cellThread;
    private volatile boolean cellRunning;
    private volatile boolean closed;
    private JShell jshell;
    private LabExecutionControl control;
    private long cellIndex;
    private OutputSink currentSink;

    /** A new engine; relative paths in %jars, %classpath and %load resolve against {@code workingDirectory}. */
    public JShellEngine(Path workingDirectory) {
        this.workingDirectory = workingDirectory.toAbsolutePath().normalize();
        if (System.getProperty("java.awt.headless") == null) {
            System.setProperty("java.awt.headless", "true"); // charts render without a display
        }
        this.cellExecutor = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "lab-cell");
            t.setDaemon(true);
            cellThread = t;
            return t;
        });
        this.magics = new Magics(this.workingDirectory, new MagicHost());
        // JShell and javac take a while to start: do it now, in the background, so the first cell is quick.
        this.ready = CompletableFuture.runAsync(this::startJShell, cellExecutor);
    }

    public Path workingDirectory() {
        return workingDirectory;
    }

    private void startJShell() {
        OutputRouter.install();
        CellClassLoader loader = new CellClassLoader(JShellEngine.class.getClassLoader());
        Thread.currentThread().setContextClassLoader(loader);
        control = new LabExecutionControl(loader);
        LabExecutionControl theControl = control;
        jshell = JShell.builder()
                .executionEngine(new ExecutionControlProvider() {
                    @Override
                    public String name() {
                        return "lab";
                    }

                    @Override
                    public ExecutionControl generate(ExecutionEnv env, Map<String, String> parameters) {
                        return theControl;
                    }
                }, Map.of())
                .build();
        synchronized (jshellLock) {
            // The compiler sees this JVM's class path (lab library, display API); the cell class
            // loader skips these entries because its parent already loads them.
            jshell.addToClasspath(System.getProperty("java.class.path"));
            for (String imported : STARTUP_IMPORTS) {
                jshell.eval("import " + imported + ";");
            }
            jshell.eval(DISPLAY_IMPORT); // compiling the imports also warms up javac
        }
    }

    @Override
    public void awaitReady() {
        try {
            ready.join();
        } catch (RuntimeException e) {
            throw new IllegalStateException("JShell did not start: " + e.getMessage(), e);
        }
    }

    @Override
    public CellResult execute(String code, OutputSink sink) {
        if (closed) {
            throw new IllegalStateException("the engine is closed");
        }
        CellStop.clear();
        cellRunning = true; // from here an interrupt counts, even while JShell is still starting
        Future<CellResult> result = cellExecutor.submit(() -> runCell(code, sink));
        boolean callerInterrupted = false;
        try {
            while (true) {
                try {
                    return result.get();
                } catch (InterruptedException e) {
                    callerInterrupted = true; // our caller gave up waiting: stop the cell, then return
                    interrupt();
                } catch (ExecutionException e) {
                    Throwable cause = e.getCause();
                    return new CellResult(CellResult.Status.ERROR, null, new CellError("InternalError",
                            String.valueOf(cause), List.of("the kernel failed running this cell: " + cause)));
                }
            }
        } finally {
            cellRunning = false;
            if (callerInterrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public void interrupt() {
        if (!cellRunning) {
            return;
        }
        CellStop.request();
        // Only when user code runs: interrupting JShell's compiler could close the jars it reads.
        Thread thread = cellThread;
        if (thread != null && control != null) {
            control.interruptUserCode(thread);
        }
    }

    private CellResult runCell(String code, OutputSink sink) {
        Thread.interrupted();
        awaitReady();
        return runReadyCell(code, sink);
    }

    private CellResult runReadyCell(String code, OutputSink sink) {
        DisplayTarget.Receiver receiver = new DisplayTarget.Receiver() {
            @Override
            public void display(Map<String, Object> bundle, String displayId, boolean update) {
                sink.display(bundle, displayId, update);
            }

            @Override
            public void clearOutput(boolean wait) {
                System.out.flush(); // text printed before the clear belongs to what is cleared
                sink.clearOutput(wait);
            }

            @Override
            public boolean live() {
                return sink.live();
            }
        };
        synchronized (jshellLock) {
            cellIndex++;
            currentSink = sink;
            OutputRouter.route(sink);
            DisplayTarget.attach(receiver);
            try {
                Outcome outcome = runSource(code, null);
                if (outcome.status() == CellResult.Status.INTERRUPTED || CellStop.isRequested()) {
                    return new CellResult(CellResult.Status.INTERRUPTED, null, Tracebacks.interrupted());
                }
                if (outcome.error() != null) {
                    return new CellResult(CellResult.Status.ERROR, null, outcome.error());
                }
                Map<String, Object> bundle = null;
                if (outcome.value() != null) {
                    try {
                        bundle = Renderers.render(outcome.value());
                    } catch (RuntimeException e) {
                        return new CellResult(CellResult.Status.ERROR, null, new CellError("RenderError",
                                String.valueOf(e.getMessage()), List.of("cannot show the cell's value: " + e)));
                    }
                }
                return new CellResult(CellResult.Status.OK, bundle == null || bundle.isEmpty() ? null : bundle, null);
            } finally {
                OutputRouter.unroute(sink);
                DisplayTarget.detach(receiver);
                currentSink = null;
                Thread.interrupted();
                CellStop.clear();
            }
        }
    }

    /** The result of running some source: a status, the last expression's value (or null), an error. */
    private record Outcome(CellResult.Status status, Object value, CellError error) {
        static Outcome ok(Object value) {
            return new Outcome(CellResult.Status.OK, value, null);
        }

        static Outcome error(CellError error) {
            return new Outcome(CellResult.Status.ERROR, null, error);
        }

        static Outcome interrupted() {
            return new Outcome(CellResult.Status.INTERRUPTED, null, Tracebacks.interrupted());
        }
    }

    /** Runs a cell's (or a %load-ed file's) source; {@code label} names loaded sources in errors. */
    private Outcome runSource(String code, String label) {
        Object value = null;
        for (CellSource.Segment segment : CellSource.split(code)) {
            if (CellStop.isRequested()) {
                return Outcome.interrupted();
            }
            value = null;
            if (segment.kind() == CellSource.Kind.MAGIC) {
                try {
                    CellError loadError = magics.run(segment.text());
                    if (loadError != null) {
                        return CellStop.isRequested() ? Outcome.interrupted() : Outcome.error(loadError);
                    }
                } catch (Magics.MagicException e) {
                    String where = label == null ? "line " + segment.firstLine() : "line " + segment.firstLine() + " of " + label;
                    return Outcome.error(new CellError("MagicError", e.getMessage(),
                            List.of("Error in " + segment.text() + " (" + where + "):", e.getMessage())));
                }
            } else {
                Outcome outcome = evalCode(segment, label);
                if (outcome.status() != CellResult.Status.OK) {
                    return outcome;
                }
                value = outcome.value();
            }
        }
        return Outcome.ok(value);
    }

    private Outcome evalCode(CellSource.Segment segment, String label) {
        SourceCodeAnalysis analysis = jshell.sourceCodeAnalysis();
        String text = segment.text();
        int offset = 0;
        Object value = null;
        while (offset < text.length()) {
            String remaining = text.substring(offset);
            SourceCodeAnalysis.CompletionInfo info = analysis.analyzeCompletion(remaining);
            if (info.completeness() == SourceCodeAnalysis.Completeness.EMPTY) {
                break;
            }
            boolean complete = info.completeness().isComplete();
            String source = complete ? info.source() : remaining;
            int consumed = complete ? remaining.length() - info.remaining().length() : remaining.length();
            // JShell numbers a snippet's lines from its first non-blank character.
            int lead = 0;
            while (lead < source.length() && Character.isWhitespace(source.charAt(lead))) {
                lead++;
            }
            source = source.substring(lead);
            int snippetStart = offset + lead;
            offset += consumed;
            if (source.isBlank()) {
                continue;
            }
            if (CellStop.isRequested()) {
                return Outcome.interrupted();
            }
            control.resetSnippetState();
            List<SnippetEvent> events = jshell.eval(source);
            SnippetEvent main = events.stream().filter(e -> e.causeSnippet() == null).findFirst()
                    .orElse(events.isEmpty() ? null : events.get(0));
            if (main == null) {
                continue;
            }
            Snippet snippet = main.snippet();
            tracebacks.remember(snippet.id(), new Tracebacks.SnippetOrigin(cellIndex, label,
                    segment.lineAt(snippetStart), source.split("\n", -1)));
            if (main.status() == Snippet.Status.REJECTED) {
                List<Diag> diags = jshell.diagnostics(snippet).collect(Collectors.toList());
                return Outcome.error(tracebacks.compileError(diags, source, segment, snippetStart, label));
            }
            if (main.exception() != null) {
                if (CellStop.isRequested()) {
                    return Outcome.interrupted();
                }
                return Outcome.error(tracebacks.runtimeError(main.exception(), cellIndex));
            }
            if (main.status() == Snippet.Status.RECOVERABLE_NOT_DEFINED && snippet instanceof DeclarationSnippet) {
                List<String> missing = jshell.unresolvedDependencies((DeclarationSnippet) snippet).collect(Collectors.toList());
                String message = "cannot define " + ((DeclarationSnippet) snippet).name()
                        + " until these are defined: " + String.join(", ", missing);
                return Outcome.error(new CellError("UnresolvedReference", message,
                        List.of("Error at line " + segment.lineAt(snippetStart) + ": " + message)));
            }
            boolean isExpression = snippet.kind() == Snippet.Kind.EXPRESSION
                    || snippet.subKind() == Snippet.SubKind.TEMP_VAR_EXPRESSION_SUBKIND;
            value = isExpression ? control.lastValue() : null;
            control.resetSnippetState();
            if (snippet.subKind() == Snippet.SubKind.TEMP_VAR_EXPRESSION_SUBKIND) {
                keepTemporary((VarSnippet) snippet);
            }
            if (CellStop.isRequested()) {
                return Outcome.interrupted();
            }
        }
        return Outcome.ok(value);
    }

    /** Keeps the last few $N results; older ones are dropped so their values can be collected. */
    private void keepTemporary(VarSnippet temporary) {
        temporaries.addLast(temporary);
        while (temporaries.size() > KEPT_TEMPORARIES) {
            VarSnippet oldest = temporaries.removeFirst();
            jshell.drop(oldest);
            control.releaseVariable(oldest.name());
            tracebacks.forget(oldest.id());
        }
    }

    private final class MagicHost implements Magics.Host {
        @Override
        public void addToClasspath(List<Path> entries) {
            for (Path entry : entries) {
                jshell.addToClasspath(entry.toString());
            }
        }

        @Override
        public CellError runLoaded(String code, String origin) {
            Outcome outcome = runSource(code, origin);
            if (outcome.status() != CellResult.Status.OK) {
                return outcome.error();
            }
            if (outcome.value() != null && currentSink != null) {
                currentSink.display(Renderers.render(outcome.value()), null, false);
            }
            return null;
        }
    }

    @Override
    public Completion complete(String code, int cursor) {
        awaitReady();
        synchronized (jshellLock) {
            CellSource.Segment segment = segmentAt(code, cursor);
            if (segment == null) {
                return new Completion(cursor, cursor, List.of());
            }
            if (segment.kind() == CellSource.Kind.MAGIC) {
                return completeMagic(code, cursor);
            }
            int local = cursor - segment.offset();
            int snippetStart = snippetAt(segment.text(), local)[0];
            String snippet = segment.text().substring(snippetStart);
            String before = codeBefore(code, segment.offset() + snippetStart);
            int[] anchor = new int[1];
            Set<String> matches = new LinkedHashSet<>();
            if (!before.isBlank()) {
                // What the cell declares above the cursor is not in JShell's state yet: complete inside a
                // method body that holds those lines, so their variables and local classes are known.
                String head = COMPLETION_WRAPPER + withoutImports(before, true);
                List<SourceCodeAnalysis.Suggestion> inCell = jshell.sourceCodeAnalysis()
                        .completionSuggestions(head + snippet, head.length() + local - snippetStart, anchor);
                addMatches(matches, inCell);
                if (!matches.isEmpty()) {
                    int start = segment.offset() + snippetStart + anchor[0] - head.length();
                    return new Completion(Math.max(segment.offset() + snippetStart, start), cursor, new ArrayList<>(matches));
                }
            }
            List<SourceCodeAnalysis.Suggestion> suggestions = jshell.sourceCodeAnalysis()
                    .completionSuggestions(snippet, local - snippetStart, anchor);
            addMatches(matches, suggestions);
            return new Completion(segment.offset() + snippetStart + anchor[0], cursor, new ArrayList<>(matches));
        }
    }

    /** A method body the cell's earlier lines go into for completion; never run, never defined. */
    static final String COMPLETION_WRAPPER = "void $labCompletion() {\n";

    private static void addMatches(Set<String> matches, List<SourceCodeAnalysis.Suggestion> suggestions) {
        suggestions.stream().filter(SourceCodeAnalysis.Suggestion::matchesType).forEach(s -> matches.add(s.continuation()));
        suggestions.forEach(s -> matches.add(s.continuation()));
    }

    /** The cell's code (magic lines left out) before position {@code end}. */
    private static String codeBefore(String code, int end) {
        StringBuilder before = new StringBuilder();
        for (CellSource.Segment segment : CellSource.split(code)) {
            if (segment.kind() == CellSource.Kind.CODE && segment.offset() < end) {
                before.append(segment.text(), 0, Math.min(segment.text().length(), end - segment.offset()));
            }
        }
        return before.toString();
    }

    /**
     * The code without its import lines. With {@code define}, the imports are first added to JShell's
     * state: an import has no effect when run (the cell would add it anyway), and a method body
     * cannot hold one, so this is how completion sees what the cell's own imports bring in.
     */
    private String withoutImports(String code, boolean define) {
        StringBuilder rest = new StringBuilder();
        for (String line : code.split("\n", -1)) {
            String trimmed = line.strip();
            if (trimmed.startsWith("import ") && trimmed.endsWith(";")) {
                if (define) {
                    jshell.eval(trimmed);
                }
                rest.append('\n'); // keep the line count
            } else {
                rest.append(line).append('\n');
            }
        }
        return rest.toString();
    }

    private static Completion completeMagic(String code, int cursor) {
        int lineStart = code.lastIndexOf('\n', Math.max(0, cursor - 1)) + 1;
        String before = code.substring(lineStart, cursor);
        String trimmed = before.stripLeading();
        if (!trimmed.startsWith("%") || trimmed.contains(" ")) {
            return new Completion(cursor, cursor, List.of());
        }
        String prefix = trimmed.substring(1);
        List<String> names = Magics.NAMES.stream().filter(n -> n.startsWith(prefix)).map(n -> "%" + n)
                .collect(Collectors.toList());
        return new Completion(cursor - trimmed.length(), cursor, names);
    }

    @Override
    public Map<String, Object> inspect(String code, int cursor, int detailLevel) {
        awaitReady();
        synchronized (jshellLock) {
            CellSource.Segment segment = segmentAt(code, cursor);
            if (segment == null || segment.kind() == CellSource.Kind.MAGIC) {
                return null;
            }
            String text = segment.text();
            int pos = cursor - segment.offset();
            int[] window = snippetAt(text, pos);
            String snippet = text.substring(window[0]);
            int local = pos - window[0];
            // JShell documents an identifier when the cursor stands after it (and after "(" for methods).
            int end = local;
            while (end < snippet.length() && Character.isJavaIdentifierPart(snippet.charAt(end))) {
                end++;
            }
            SourceCodeAnalysis analysis = jshell.sourceCodeAnalysis();
            List<SourceCodeAnalysis.Documentation> docs = analysis.documentation(snippet, end, detailLevel > 0);
            if (docs.isEmpty()) {
                String withParen = snippet.substring(0, end) + "(";
                docs = analysis.documentation(withParen, withParen.length(), detailLevel > 0);
            }
            if (docs.isEmpty()) {
                return null;
            }
            StringBuilder text2 = new StringBuilder();
            for (SourceCodeAnalysis.Documentation doc : docs) {
                if (text2.length() > 0) {
                    text2.append('\n');
                }
                text2.append(doc.signature());
                if (doc.javadoc() != null && !doc.javadoc().isBlank()) {
                    text2.append("\n").append(doc.javadoc().strip()).append('\n');
                }
            }
            return Map.of("text/plain", text2.toString());
        }
    }

    @Override
    public String isComplete(String code) {
        awaitReady();
        synchronized (jshellLock) {
            List<CellSource.Segment> segments = CellSource.split(code);
            SourceCodeAnalysis analysis = jshell.sourceCodeAnalysis();
            for (int i = 0; i < segments.size(); i++) {
                CellSource.Segment segment = segments.get(i);
                if (segment.kind() == CellSource.Kind.MAGIC) {
                    continue;
                }
                String remaining = segment.text();
                while (!remaining.isBlank()) {
                    SourceCodeAnalysis.CompletionInfo info = analysis.analyzeCompletion(remaining);
                    switch (info.completeness()) {
                        case EMPTY:
                            remaining = "";
                            break;
                        case DEFINITELY_INCOMPLETE:
                        case CONSIDERED_INCOMPLETE:
                            return i == segments.size() - 1 ? "incomplete" : "invalid";
                        case UNKNOWN:
                            return "invalid";
                        default:
                            remaining = info.remaining();
                    }
                }
            }
            return "complete";
        }
    }

    /** An indent for the next line of incomplete code: four spaces per unclosed brace or paren. */
    public static String indentFor(String code) {
        int depth = 0;
        for (int i = 0; i < code.length(); i++) {
            char c = code.charAt(i);
            if (c == '{' || c == '(') {
                depth++;
            } else if ((c == '}' || c == ')') && depth > 0) {
                depth--;
            }
        }
        return "    ".repeat(Math.max(1, Math.min(depth, 8)));
    }

    private static CellSource.Segment segmentAt(String code, int cursor) {
        CellSource.Segment found = null;
        for (CellSource.Segment segment : CellSource.split(code)) {
            if (segment.offset() <= cursor) {
                found = segment;
            }
        }
        if (found != null && cursor > found.offset() + found.text().length()) {
            return null; // on a blank line after a magic
        }
        return found;
    }

    /** The start (in {@code text}) of the snippet that contains {@code pos}. */
    private int[] snippetAt(String text, int pos) {
        SourceCodeAnalysis analysis = jshell.sourceCodeAnalysis();
        int start = 0;
        while (start < text.length()) {
            SourceCodeAnalysis.CompletionInfo info = analysis.analyzeCompletion(text.substring(start));
            if (!info.completeness().isComplete()) {
                break;
            }
            int consumed = text.length() - start - info.remaining().length();
            if (consumed <= 0 || start + consumed >= pos) {
                break;
            }
            start += consumed;
        }
        return new int[] {start};
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        interrupt();
        cellExecutor.submit(() -> {
            if (jshell != null) {
                jshell.close();
            }
        });
        cellExecutor.shutdown();
    }
}
