package org.datalayerlab.kernel.display;

import java.lang.invoke.MethodType;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;

/**
 * Calls a library's public methods on a value a cell made, by name. The renderers use it for XChart
 * and Tablesaw: those classes come from the cells' class path (the notebook's %jars or %maven), not
 * from the kernel's, so the kernel cannot link against them. Only public API; nothing private is read.
 */
final class PublicApi {

    private PublicApi() {
    }

    /** {@code target.name(args...)}: the public method of that name and arity (first found). */
    static Object call(Object target, String name, Object... args) {
        return invoke(method(target.getClass(), name, args, false), target, args);
    }

    /** A public static method of the class {@code className}, loaded by the loader of {@code peer}. */
    static Object callStatic(Object peer, String className, String name, Object... args) {
        try {
            Class<?> type = Class.forName(className, true, peer.getClass().getClassLoader());
            return invoke(method(type, name, args, true), null, args);
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException(className + " is not on the class path of " + peer.getClass().getName(), e);
        }
    }

    private static Method method(Class<?> type, String name, Object[] args, boolean isStatic) {
        for (Method m : type.getMethods()) {
            if (m.getName().equals(name) && Modifier.isStatic(m.getModifiers()) == isStatic && accepts(m, args)) {
                return m;
            }
        }
        throw new IllegalStateException(type.getName() + " has no public method " + name + " for " + args.length + " arguments");
    }

    private static boolean accepts(Method m, Object[] args) {
        Class<?>[] types = m.getParameterTypes();
        if (types.length != args.length) {
            return false;
        }
        for (int i = 0; i < types.length; i++) {
            Class<?> t = types[i].isPrimitive() ? MethodType.methodType(types[i]).wrap().returnType() : types[i];
            if (args[i] != null && !t.isInstance(args[i])) {
                return false;
            }
        }
        return true;
    }

    private static Object invoke(Method m, Object target, Object[] args) {
        try {
            return m.invoke(target, args);
        } catch (IllegalAccessException e) {
            throw new IllegalStateException("cannot call " + m, e);
        } catch (InvocationTargetException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw new IllegalStateException(m.getName() + " failed: " + cause, cause);
        }
    }
}
