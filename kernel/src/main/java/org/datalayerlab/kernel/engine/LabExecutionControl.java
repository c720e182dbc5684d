package org.datalayerlab.kernel.engine;

import jdk.jshell.execution.DirectExecutionControl;
import jdk.jshell.execution.LoaderDelegate;
import jdk.jshell.spi.ExecutionControl;

import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * Runs cell code directly in this JVM, on the thread that calls JShell.eval. On top of
 * DirectExecutionControl it keeps each snippet's result as an object (for the renderers), keeps
 * the thrown exception itself (for tracebacks without kernel frames), instruments cell classes
 * with stop checks, and releases the values of variables that were redeclared or dropped.
 */
final class LabExecutionControl extends DirectExecutionControl {

    /** JShell's wrapper classes: one per snippet, holding top-level variables as static fields. */
    private static final Pattern WRAPPER_CLASS = Pattern.compile("REPL\\.\\$JShell\\$\\d+");

    private final Loader loader;
    private volatile Object lastValue;
    private volatile Throwable lastThrowable;
    private volatile boolean inUserCode;

    LabExecutionControl(CellClassLoader classLoader) {
        this(new Loader(classLoader));
    }

    private LabExecutionControl(Loader loader) {
        super(loader);
        this.loader = loader;
    }

    CellClassLoader classLoader() {
        return loader.classLoader;
    }

    /** Forgets the previous snippet's value and exception before the next eval. */
    void resetSnippetState() {
        lastValue = null;
        lastThrowable = null;
    }

    Object lastValue() {
        return lastValue;
    }

    Throwable lastThrowable() {
        return lastThrowable;
    }

    boolean inUserCode() {
        return inUserCode;
    }

    /**
     * Interrupts {@code cellThread} only while it runs the cell's own code (a sleep, a blocking
     * read). Atomic with {@link #clientCodeLeave}, which clears the flag: an interrupt that landed
     * in JShell's compiler after the cell's code ended would close the files it reads and lose
     * the earlier cells' definitions.
     */
    synchronized void interruptUserCode(Thread cellThread) {
        if (inUserCode) {
            cellThread.interrupt();
        }
    }

    /** Releases the value a top-level variable held (it was dropped or replaced). */
    void releaseVariable(String name) {
        loader.release(name);
    }

    @Override
    protected String invoke(Method doitMethod) throws Exception {
        Object value = doitMethod.invoke(null);
        lastValue = value;
        // JShell only keeps this string for its events; avoid calling user toString() here.
        if (value == null || value instanceof String || value instanceof Number
                || value instanceof Boolean || value instanceof Character) {
            return valueString(value);
        }
        return value.getClass().getName();
    }

    @Override
    protected String throwConvertedInvocationException(Throwable cause)
            throws ExecutionControl.RunException, ExecutionControl.InternalException {
        lastThrowable = cause;
        return super.throwConvertedInvocationException(cause);
    }

    @Override
    protected void clientCodeEnter() throws ExecutionControl.InternalException {
        synchronized (this) {
            inUserCode = true;
        }
        super.clientCodeEnter();
    }

    @Override
    protected void clientCodeLeave() throws ExecutionControl.InternalException {
        synchronized (this) {
            inUserCode = false;
            Thread.interrupted(); // an interrupt meant for the cell's code must not reach JShell's
        }
        super.clientCodeLeave();
    }

    @Override
    public void stop() {
        CellStop.request();
    }

    /** Defines cell classes in the cell class loader, instrumented, and tracks variable holders. */
    private static final class Loader implements LoaderDelegate {
        private final CellClassLoader classLoader;
        private final Map<String, Class<?>> loaded = new ConcurrentHashMap<>();
        /** Variable name to the static field currently holding it. */
        private final Map<String, Field> variableHolders = new HashMap<>();
        /** Entries of this JVM's own class path: the parent loader has them already. */
        private final java.util.Set<String> jvmClassPath = java.util.Set.of(
                System.getProperty("java.class.path", "").split(java.io.File.pathSeparator));

        Loader(CellClassLoader classLoader) {
            this.classLoader = classLoader;
        }

        @Override
        public void load(ExecutionControl.ClassBytecodes[] classes)
                throws ExecutionControl.ClassInstallException {
            boolean[] installed = new boolean[classes.length];
            for (ExecutionControl.ClassBytecodes c : classes) {
                classLoader.declare(c.name(), StopCheckInstrumenter.instrument(AssertionsOn.instrument(c.bytecodes())));
            }
            for (int i = 0; i < classes.length; i++) {
                String name = classes[i].name();
                try {
                    Class<?> type = classLoader.loadClass(name);
                    loaded.put(name, type);
                    installed[i] = true;
                    if (WRAPPER_CLASS.matcher(name).matches()) {
                        trackVariables(type);
                    }
                } catch (Throwable e) {
                    throw new ExecutionControl.ClassInstallException("load failure: " + name + ": " + e, installed);
                }
            }
        }

        /** A new wrapper class declaring variable x replaces the older holder of x: release its value. */
        private synchronized void trackVariables(Class<?> wrapper) {
            for (Field field : wrapper.getDeclaredFields()) {
                int mods = field.getModifiers();
                if (!Modifier.isStatic(mods) || Modifier.isFinal(mods) || field.getType().isPrimitive()) {
                    continue;
                }
                Field previous = variableHolders.put(field.getName(), field);
                if (previous != null) {
                    clear(previous);
                }
            }
        }

        synchronized void release(String name) {
            Field holder = variableHolders.remove(name);
            if (holder != null) {
                clear(holder);
            }
        }

        private static void clear(Field field) {
            try {
                field.setAccessible(true);
                field.set(null, null);
            } catch (ReflectiveOperationException | RuntimeException e) {
                // Not clearable (should not happen for JShell wrappers): the value stays reachable.
            }
        }

        @Override
        public void classesRedefined(ExecutionControl.ClassBytecodes[] classes) {
            // Redefinition is not supported (see DirectExecutionControl.redefine): JShell loads new classes.
        }

        @Override
        public void addToClasspath(String path) throws ExecutionControl.InternalException {
            try {
                for (String element : path.split(java.io.File.pathSeparator)) {
                    if (!element.isEmpty() && !jvmClassPath.contains(element)) {
                        classLoader.addURL(Path.of(element).toUri().toURL());
                    }
                }
            } catch (Exception e) {
                throw new ExecutionControl.InternalException(e.toString());
            }
        }

        @Override
        public Class<?> findClass(String name) throws ClassNotFoundException {
            Class<?> type = loaded.get(name);
            return type != null ? type : classLoader.loadClass(name);
        }
    }
}
