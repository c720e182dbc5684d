package org.datalayerlab.kernel.engine;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MagicsTest {

    @TempDir
    static Path dir;
    static JShellEngine engine;

    @BeforeAll
    static void start() throws IOException {
        // A jar and a classes folder the kernel's own classpath does not have, next to the "notebook".
        compileInto(dir.resolve("classes-a"), "demo.a", "Greeter", "public static String hi() { return \"hi from a\"; }");
        compileInto(dir.resolve("classes-b"), "demo.b", "Adder", "public static int add(int x, int y) { return x + y; }");
        Files.createDirectories(dir.resolve("libs"));
        jar(dir.resolve("classes-a"), dir.resolve("libs/greeter-1.0.jar"));
        Files.writeString(dir.resolve("helpers.jsh"), "int triple(int x) {\n    return 3 * x;\n}\n");
        Files.writeString(dir.resolve("Shape.java"), "record Shape(String name, int sides) {}\n");
        Files.writeString(dir.resolve("setup.ipynb"), "{\"cells\": ["
                + "{\"cell_type\": \"markdown\", \"metadata\": {}, \"source\": [\"# setup\"]},"
                + "{\"cell_type\": \"code\", \"metadata\": {}, \"outputs\": [], \"execution_count\": null,"
                + " \"source\": [\"String fromNotebook = \\\"loaded\\\";\\n\", \"int half(int x) { return x / 2; }\"]}"
                + "], \"metadata\": {}, \"nbformat\": 4, \"nbformat_minor\": 5}");
        engine = new JShellEngine(dir);
    }

    @AfterAll
    static void stop() {
        engine.close();
    }

    static CellEngine.CellResult run(String code) {
        return engine.execute(code, new RecordingSink());
    }

    static String value(String code) {
        CellEngine.CellResult r = run(code);
        assertEquals(CellEngine.CellResult.Status.OK, r.status(), () -> String.valueOf(r.error()));
        return (String) r.executeResult().get("text/plain");
    }

    @Test
    void jarsWithAGlobRelativeToTheWorkingDirectory() {
        assertEquals("hi from a", value("%jars libs/*.jar\ndemo.a.Greeter.hi()"));
    }

    @Test
    void classpathWithAFolder() {
        assertEquals("5", value("%classpath classes-b\ndemo.b.Adder.add(2, 3)"));
    }

    @Test
    void jarsThatMatchNothingSayWhere() {
        CellEngine.CellResult r = run("%jars nowhere/*.jar");
        assertEquals(CellEngine.CellResult.Status.ERROR, r.status());
        assertEquals("MagicError", r.error().ename());
        assertTrue(r.error().evalue().contains("nowhere/*.jar"), r.error().evalue());
    }

    @Test
    void loadJshAndJavaFiles() {
        assertEquals("12", value("%load helpers.jsh\ntriple(4)"));
        assertEquals("4", value("%load Shape.java\nnew Shape(\"square\", 4).sides()"));
    }

    @Test
    void loadNotebookRunsItsCodeCells() {
        assertEquals("loaded 21", value("%load setup.ipynb\nfromNotebook + \" \" + half(42)"));
    }

    @Test
    void unknownMagicIsAClearError() {
        CellEngine.CellResult r = run("%frobnicate now");
        assertEquals("MagicError", r.error().ename());
        assertTrue(r.error().evalue().contains("%jars"), r.error().evalue());
    }

    @Test
    void mavenResolvesTransitively() {
        String code = "%maven org.apache.commons:commons-text:1.12.0\n"
                + "org.apache.commons.text.WordUtils.capitalizeFully(\"scaling the data layer\")";
        assertEquals("Scaling The Data Layer", value(code));
        List<Path> jars = MavenResolver.forUser().resolve("org.apache.commons:commons-text:1.12.0");
        assertTrue(jars.stream().anyMatch(p -> p.getFileName().toString().startsWith("commons-lang3-")), jars::toString);
    }

    @Test
    void mavenNamesAnArtifactThatDoesNotExist() {
        CellEngine.CellResult r = run("%maven org.datalayerlab.nope:no-such-artifact:0.0.1");
        assertEquals(CellEngine.CellResult.Status.ERROR, r.status());
        assertTrue(r.error().evalue().contains("org.datalayerlab.nope:no-such-artifact:0.0.1"), r.error().evalue());
    }

    private static void compileInto(Path out, String pkg, String name, String body) throws IOException {
        Path src = Files.createDirectories(dir.resolve("src").resolve(pkg.replace('.', '/')));
        Path file = src.resolve(name + ".java");
        Files.writeString(file, "package " + pkg + ";\npublic class " + name + " {\n    " + body + "\n}\n");
        Files.createDirectories(out);
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        assertEquals(0, javac.run(null, null, null, "-d", out.toString(), file.toString()));
    }

    private static void jar(Path classes, Path jarFile) throws IOException {
        try (OutputStream os = Files.newOutputStream(jarFile); JarOutputStream jar = new JarOutputStream(os)) {
            try (var walk = Files.walk(classes)) {
                for (Path p : (Iterable<Path>) walk.filter(Files::isRegularFile)::iterator) {
                    jar.putNextEntry(new JarEntry(classes.relativize(p).toString().replace('\\', '/')));
                    jar.write(Files.readAllBytes(p));
                    jar.closeEntry();
                }
            }
        }
    }
}
