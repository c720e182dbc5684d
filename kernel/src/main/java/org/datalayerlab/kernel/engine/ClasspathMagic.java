package org.datalayerlab.kernel.engine;

import java.io.File;
import java.util.ArrayList;
import java.util.List;

/** {@code %classpath ENTRY...}: folders or jars, each argument may hold several joined by the path separator. */
final class ClasspathMagic implements Magics.Magic {

    @Override
    public String name() {
        return "classpath";
    }

    @Override
    public String needs() {
        return "a directory or jar, e.g. %classpath target/classes";
    }

    @Override
    public CellEngine.CellError run(List<String> args, Magics magics) {
        List<String> entries = new ArrayList<>();
        for (String arg : args) {
            entries.addAll(List.of(arg.split(File.pathSeparator)));
        }
        magics.host().addToClasspath(magics.expandAll(entries, false));
        return null;
    }
}
