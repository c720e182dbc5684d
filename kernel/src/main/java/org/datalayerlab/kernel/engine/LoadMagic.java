package org.datalayerlab.kernel.engine;

import java.util.List;

/** {@code %load FILE...}: runs a .jsh or .java file, or a notebook's code cells, as if they were cells. */
final class LoadMagic implements Magics.Magic {

    @Override
    public String name() {
        return "load";
    }

    @Override
    public String needs() {
        return "a .jsh, .java or .ipynb file, e.g. %load helpers.jsh";
    }

    @Override
    public CellEngine.CellError run(List<String> args, Magics magics) {
        for (String arg : args) {
            CellEngine.CellError error = magics.load(magics.resolve(arg));
            if (error != null) {
                return error; // later files are not loaded after a failing one
            }
        }
        return null;
    }
}
