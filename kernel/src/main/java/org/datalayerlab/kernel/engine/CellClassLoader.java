package org.datalayerlab.kernel.engine;

import java.net.URL;
import java.net.URLClassLoader;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Holds the classes JShell compiles from cells (instrumented with stop checks) and the jars
 * added with %jars, %classpath and %maven. Parent-first: the kernel's own classpath (lab library,
 * display API, XChart, Tablesaw) wins, so a notebook that adds jars already there gets the same
 * classes the renderers know.
 */
final class CellClassLoader extends URLClassLoader {

    static {
        registerAsParallelCapable();
    }

    private final Map<String, byte[]> declared = new ConcurrentHashMap<>();

    CellClassLoader(ClassLoader parent) {
        super(new URL[0], parent);
        // a learner's `assert` must check something, whatever flags the JVM was started with
        setDefaultAssertionStatus(true);
    }

    void declare(String className, byte[] bytes) {
        declared.put(className, bytes);
    }

    @Override
    protected Class<?> findClass(String name) throws ClassNotFoundException {
        byte[] bytes = declared.remove(name);
        if (bytes != null) {
            return defineClass(name, bytes, 0, bytes.length);
        }
        return super.findClass(name);
    }

    @Override
    public URL findResource(String name) {
        return super.findResource(name);
    }

    @Override
    public void addURL(URL url) {
        super.addURL(url);
    }
}
