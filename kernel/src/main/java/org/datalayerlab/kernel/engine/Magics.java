package org.datalayerlab.kernel.engine;

import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The IJava/JJava line magics: %jars, %classpath, %maven and %load, one class each
 * ({@link JarsMagic}, {@link ClasspathMagic}, {@link MavenMagic}, {@link LoadMagic}); this class
 * parses the line, finds the magic by name and holds what they share. Relative paths resolve
 * against the engine's working directory (the notebook's folder).
 */
final class Magics {

    /** What the magics need from the engine. */
    interface Host {
        void addToClasspath(List<Path> entries);

        /** Runs {@code code} as if it were a cell; returns the error that stopped it, or null. */
        CellEngine.CellError runLoaded(String code, String origin);
    }

    /** A magic that failed: the message says what was wrong and what to do. */
    static final class MagicException extends RuntimeException {
        MagicException(String message) {
            super(message);
        }
    }

    /** One line magic of the IJava dialect: its own class, registered by name below. */
    interface Magic {
        String name();

        /** What the magic needs, said when it is given no arguments ("a jar path or glob, e.g. ..."). */
        String needs();

        /** Runs with at least one argument; returns the error of a loaded cell that failed, or null. */
        CellEngine.CellError run(List<String> args, Magics magics);
    }

    private final Path workingDirectory;
    private final Host host;
    private final Map<String, Magic> byName = new LinkedHashMap<>();

    Magics(Path workingDirectory, Host host) {
        this.workingDirectory = workingDirectory;
        this.host = host;
        for (Magic magic : List.of(new JarsMagic(), new ClasspathMagic(), new MavenMagic(), new LoadMagic())) {
            byName.put(magic.name(), magic);
        }
    }

    static final List<String> NAMES = List.of("jars", "classpath", "maven", "load");

    /**
     * Runs one magic line (with its leading %). Returns the error of a %load-ed cell that
     * failed, or null; throws MagicException for a bad magic.
     */
    CellEngine.CellError run(String line) {
        String body = line.strip().substring(1);
        if (body.startsWith("%")) {
            throw new MagicException("cell magics (%%" + body.substring(1).split("\\s+")[0]
                    + ") are not supported; line magics are: %" + String.join(", %", NAMES));
        }
        List<String> words = splitArgs(body);
        if (words.isEmpty()) {
            throw new MagicException("a lone % is not a magic; line magics are: %" + String.join(", %", NAMES));
        }
        Magic magic = byName.get(words.get(0));
        if (magic == null) {
            throw new MagicException("unknown magic %" + words.get(0) + "; line magics are: %" + String.join(", %", NAMES));
        }
        List<String> args = words.subList(1, words.size());
        if (args.isEmpty()) {
            throw new MagicException("%" + magic.name() + " needs " + magic.needs());
        }
        return magic.run(args, this);
    }

    Host host() {
        return host;
    }

    CellEngine.CellError load(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new MagicException("%load: no such file: " + file);
        }
        String text;
        try {
            text = Files.readString(file);
        } catch (IOException e) {
            throw new MagicException("%load: cannot read " + file + ": " + e.getMessage());
        }
        if (!file.getFileName().toString().endsWith(".ipynb")) {
            return host.runLoaded(text, file.getFileName().toString());
        }
        List<String> cells;
        try {
            cells = NotebookCells.codeCells(text);
        } catch (RuntimeException e) {
            throw new MagicException("%load: " + file + " is not a valid notebook: " + e.getMessage());
        }
        for (int i = 0; i < cells.size(); i++) {
            CellEngine.CellError error = host.runLoaded(cells.get(i),
                    file.getFileName() + " code cell " + (i + 1));
            if (error != null) {
                return error;
            }
        }
        return null;
    }

    Path resolve(String arg) {
        String expanded = arg.startsWith("~/") ? System.getProperty("user.home") + arg.substring(1) : arg;
        return workingDirectory.resolve(expanded).normalize();
    }

    List<Path> expandAll(List<String> patterns, boolean filesOnly) {
        List<Path> all = new ArrayList<>();
        for (String pattern : patterns) {
            if (!pattern.isEmpty()) {
                all.addAll(expand(pattern, filesOnly));
            }
        }
        return all;
    }

    /** A path or a glob (*, ?, [..], {a,b}, ** across folders) to the existing paths it names. */
    List<Path> expand(String pattern, boolean filesOnly) {
        String normalized = pattern.replace('\\', '/');
        if (!hasGlob(normalized)) {
            Path path = resolve(normalized);
            if (!Files.exists(path)) {
                throw new MagicException("no such file or directory: " + path
                        + (pattern.equals(path.toString()) ? "" : " (" + pattern + " resolved against " + workingDirectory + ")"));
            }
            return List.of(path);
        }
        String[] parts = normalized.split("/", -1);
        int firstGlob = 0;
        while (!hasGlob(parts[firstGlob])) {
            firstGlob++;
        }
        String fixed = String.join("/", java.util.Arrays.copyOfRange(parts, 0, firstGlob));
        String rest = String.join("/", java.util.Arrays.copyOfRange(parts, firstGlob, parts.length));
        Path root = fixed.isEmpty() && normalized.startsWith("/") ? Path.of("/") : resolve(fixed.isEmpty() ? "." : fixed);
        PathMatcher matcher = FileSystems.getDefault().getPathMatcher("glob:" + rest);
        int depth = rest.contains("**") ? Integer.MAX_VALUE : parts.length - firstGlob;
        List<Path> matches = new ArrayList<>();
        if (Files.isDirectory(root)) {
            try (Stream<Path> walk = Files.walk(root, depth)) {
                walk.filter(p -> !p.equals(root) && matcher.matches(root.relativize(p)))
                        .filter(p -> !filesOnly || Files.isRegularFile(p))
                        .sorted()
                        .forEach(matches::add);
            } catch (IOException e) {
                throw new MagicException("cannot list " + root + ": " + e.getMessage());
            }
        }
        if (matches.isEmpty()) {
            throw new MagicException("nothing matches " + pattern + " (looked in " + root
                    + "). If these are build outputs, build first (mvn package).");
        }
        return matches;
    }

    private static boolean hasGlob(String s) {
        return s.indexOf('*') >= 0 || s.indexOf('?') >= 0 || s.indexOf('[') >= 0 || s.indexOf('{') >= 0;
    }

    /** Splits magic arguments on blanks; "double" or 'single' quotes keep blanks inside one argument. */
    static List<String> splitArgs(String s) {
        List<String> out = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        boolean inWord = false;
        char quote = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (quote != 0) {
                if (c == quote) {
                    quote = 0;
                } else {
                    current.append(c);
                }
            } else if (c == '"' || c == '\'') {
                quote = c;
                inWord = true;
            } else if (Character.isWhitespace(c)) {
                if (inWord) {
                    out.add(current.toString());
                    current.setLength(0);
                    inWord = false;
                }
            } else {
                current.append(c);
                inWord = true;
            }
        }
        if (inWord) {
            out.add(current.toString());
        }
        return out;
    }
}
