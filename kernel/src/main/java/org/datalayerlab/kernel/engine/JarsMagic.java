package org.datalayerlab.kernel.engine;

import java.util.List;

/** {@code %jars PATH-OR-GLOB...}: puts jar files on the cells' class path. */
final class JarsMagic implements Magics.Magic {

    @Override
    public String name() {
        return "jars";
    }

    @Override
    public String needs() {
        return "a jar path or glob, e.g. %jars ../library/target/lib/*.jar";
    }

    @Override
    public CellEngine.CellError run(List<String> args, Magics magics) {
        magics.host().addToClasspath(magics.expandAll(args, true));
        return null;
    }
}
