package org.datalayerlab.kernel.grading;

import jdk.jshell.DeclarationSnippet;
import jdk.jshell.ImportSnippet;
import jdk.jshell.JShell;
import jdk.jshell.MethodSnippet;
import jdk.jshell.Snippet;
import jdk.jshell.SourceCodeAnalysis;
import jdk.jshell.VarSnippet;

import java.util.LinkedHashSet;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Finds answers that would change what a test means: in JShell a later declaration replaces an
 * earlier one, so an answer cell that declares a class named like a library class a test uses
 * (Explain), a method a set-up cell defines or a set-up variable, makes the test run against the
 * student's version. Top-level declarations are read with JShell's own parser, without running
 * anything.
 */
final class AnswerNames implements AutoCloseable {

    private static final Pattern IDENTIFIER = Pattern.compile("[A-Za-z_$][A-Za-z0-9_$]*");

    private final JShell jshell = JShell.builder().executionEngine("local").build();
    private final SourceCodeAnalysis analysis = jshell.sourceCodeAnalysis();

    /** What the assignment's own cells (set-up and tests, answers excluded) declare and use. */
    record Used(Set<String> declared, Set<String> identifiers, Set<String> unqualifiedCalls) {
    }

    Used used(Iterable<String> cellSources) {
        Used used = new Used(new LinkedHashSet<>(), new LinkedHashSet<>(), new LinkedHashSet<>());
        for (String source : cellSources) {
            for (Snippet s : snippets(source)) {
                if (s instanceof DeclarationSnippet d) used.declared().add(d.name());
            }
            String code = codeOnly(source);
            Matcher m = IDENTIFIER.matcher(code);
            while (m.find()) {
                used.identifiers().add(m.group());
                int before = m.start() - 1;
                while (before >= 0 && Character.isWhitespace(code.charAt(before))) before--;
                int after = m.end();
                while (after < code.length() && Character.isWhitespace(code.charAt(after))) after++;
                boolean qualified = before >= 0 && code.charAt(before) == '.';
                if (!qualified && after < code.length() && code.charAt(after) == '(') {
                    used.unqualifiedCalls().add(m.group());
                }
            }
        }
        return used;
    }

    /**
     * The names the answer declares beyond those of its released stub that the assignment's
     * cells use, so that the answer would replace what the tests rely on; empty when none.
     */
    Set<String> shadowing(String answer, String stub, Used used) {
        Set<String> allowed = new LinkedHashSet<>();
        for (Snippet s : snippets(stub)) allowed.add(name(s));
        Set<String> found = new LinkedHashSet<>();
        for (Snippet s : snippets(answer)) {
            String name = name(s);
            if (name == null || allowed.contains(name)) continue;
            boolean hits;
            if (s instanceof VarSnippet) {
                hits = used.declared().contains(name);
            } else if (s instanceof MethodSnippet) {
                hits = used.declared().contains(name) || used.unqualifiedCalls().contains(name);
            } else {
                hits = used.declared().contains(name) || used.identifiers().contains(name); // a type or an import
            }
            if (hits) found.add(name);
        }
        return found;
    }

    private static String name(Snippet s) {
        if (s instanceof DeclarationSnippet d) return d.name();
        if (s instanceof ImportSnippet i && !i.name().contains("*")) return i.name();
        return null;
    }

    /** The cell's snippets as JShell would cut it (magic lines left out). */
    private java.util.List<Snippet> snippets(String cellSource) {
        StringBuilder java = new StringBuilder();
        for (String line : cellSource.split("\n", -1)) {
            java.append(line.stripLeading().startsWith("%") ? "" : line).append('\n');
        }
        java.util.List<Snippet> all = new java.util.ArrayList<>();
        String rest = java.toString();
        for (int guard = 0; guard < 10_000 && !rest.isBlank(); guard++) {
            SourceCodeAnalysis.CompletionInfo info = analysis.analyzeCompletion(rest);
            String one = info.source();
            if (one == null || one.isBlank() || info.completeness() == SourceCodeAnalysis.Completeness.EMPTY) break;
            try {
                all.addAll(analysis.sourceToSnippets(one));
            } catch (RuntimeException unparsable) {
                // the compiler reports it when the cell runs
            }
            if (info.remaining() == null || info.remaining().equals(rest)) break;
            rest = info.remaining();
        }
        return all;
    }

    /** The source without comments, string, text-block and char literals. */
    static String codeOnly(String source) {
        StringBuilder out = new StringBuilder();
        int i = 0;
        int n = source.length();
        while (i < n) {
            char c = source.charAt(i);
            if (source.startsWith("//", i)) {
                while (i < n && source.charAt(i) != '\n') i++;
            } else if (source.startsWith("/*", i)) {
                int end = source.indexOf("*/", i + 2);
                i = end < 0 ? n : end + 2;
            } else if (source.startsWith("\"\"\"", i)) {
                int end = source.indexOf("\"\"\"", i + 3);
                i = end < 0 ? n : end + 3;
                out.append("\"\"");
            } else if (c == '"' || c == '\'') {
                i++;
                while (i < n && source.charAt(i) != c && source.charAt(i) != '\n') i += source.charAt(i) == '\\' ? 2 : 1;
                i++;
                out.append(c).append(c);
            } else {
                out.append(c);
                i++;
            }
        }
        return out.toString();
    }

    @Override
    public void close() {
        jshell.close();
    }
}
