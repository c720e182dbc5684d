package org.datalayerlab.kernel.runner;

import org.datalayerlab.kernel.engine.CellEngine;

import java.lang.reflect.InvocationTargetException;
import java.nio.file.Path;

/**
 * Creates the cell engine a notebook runs in. The default is the kernel's JShell engine (the
 * same one JupyterLab uses); tests name another implementation with a
 * {@code (java.nio.file.Path workingDirectory)} constructor.
 */
public final class EngineFactory {

    public static final String DEFAULT_ENGINE = "org.datalayerlab.kernel.engine.JShellEngine";

    private EngineFactory() {
    }

    public static CellEngine create(String className, Path workingDirectory) {
        try {
            Class<?> type = Class.forName(className);
            return (CellEngine) type.getConstructor(Path.class).newInstance(workingDirectory);
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException("cell engine class " + className + " is not on the classpath;"
                    + " rebuild with: mvn -q -pl kernel -am package -DskipTests", e);
        } catch (InvocationTargetException e) {
            Throwable cause = e.getCause();
            throw new IllegalStateException("the cell engine failed to start: " + cause, cause);
        } catch (ReflectiveOperationException | ClassCastException e) {
            throw new IllegalStateException(className + " is not a CellEngine with a (Path) constructor", e);
        }
    }
}
