package org.datalayerlab.kernel.engine;

import java.nio.file.Path;
import java.util.List;

/** {@code %maven group:artifact:version...}: resolves from Maven Central (transitively) onto the class path. */
final class MavenMagic implements Magics.Magic {

    private MavenResolver resolver; // made on first use: it reads the user's Maven settings

    @Override
    public String name() {
        return "maven";
    }

    @Override
    public String needs() {
        return "group:artifact:version, e.g. %maven org.apache.commons:commons-text:1.12.0";
    }

    @Override
    public CellEngine.CellError run(List<String> args, Magics magics) {
        if (resolver == null) {
            resolver = MavenResolver.forUser();
        }
        for (String coordinates : args) {
            List<Path> jars;
            try {
                jars = resolver.resolve(coordinates);
            } catch (IllegalArgumentException e) {
                throw new Magics.MagicException(e.getMessage());
            }
            magics.host().addToClasspath(jars);
        }
        return null;
    }
}
