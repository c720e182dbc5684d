package org.datalayerlab.lab;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * PostgreSQL configuration parameters for one server, e.g.
 * {@code Settings.of("max_connections", "20", "wal_level", "logical")}. Immutable.
 * Given when a server is created, they are written to its configuration before it starts,
 * so even parameters that need a restart cost nothing.
 */
public final class Settings {

    private static final Settings NONE = new Settings(Map.of());

    private final Map<String, String> values;

    private Settings(Map<String, String> values) {
        this.values = Collections.unmodifiableMap(new LinkedHashMap<>(values));
    }

    public static Settings none() {
        return NONE;
    }

    /** Name/value pairs: {@code Settings.of("max_connections", "20", "fsync", "off")}. */
    public static Settings of(String... namesAndValues) {
        if (namesAndValues.length % 2 != 0) {
            throw new IllegalArgumentException("Settings.of takes name/value pairs, got an odd number of arguments ("
                    + namesAndValues.length + "): for example Settings.of(\"max_connections\", \"20\")");
        }
        Settings s = NONE;
        for (int i = 0; i < namesAndValues.length; i += 2) {
            s = s.with(namesAndValues[i], namesAndValues[i + 1]);
        }
        return s;
    }

    public static Settings of(Map<String, String> values) {
        Settings s = NONE;
        for (Map.Entry<String, String> e : values.entrySet()) {
            s = s.with(e.getKey(), e.getValue());
        }
        return s;
    }

    /** A copy with one more parameter (or a changed one). */
    public Settings with(String name, String value) {
        checkName(name);
        if (value == null) {
            throw new IllegalArgumentException("setting " + name + " has no value: give a string such as \"on\" or \"200ms\"");
        }
        Map<String, String> copy = new LinkedHashMap<>(values);
        copy.put(name, value);
        return new Settings(copy);
    }

    /** A copy with every parameter of {@code other} added on top of these. */
    public Settings with(Settings other) {
        Map<String, String> copy = new LinkedHashMap<>(values);
        copy.putAll(other.values);
        return new Settings(copy);
    }

    public Map<String, String> asMap() {
        return values;
    }

    public boolean isEmpty() {
        return values.isEmpty();
    }

    /** The lines of a postgresql.conf fragment holding these settings. */
    public String toConfigFile() {
        StringBuilder b = new StringBuilder();
        values.forEach((k, v) -> b.append(k).append(" = ").append(quote(v)).append('\n'));
        return b.toString();
    }

    /** Quotes a value as postgresql.conf and ALTER SYSTEM expect. */
    public static String quote(String value) {
        return "'" + value.replace("'", "''") + "'";
    }

    /** Parameter names are plain identifiers (optionally dotted for extensions): refuse anything else before it reaches SQL. */
    public static void checkName(String name) {
        if (name == null || !name.matches("[A-Za-z_][A-Za-z0-9_]*(\\.[A-Za-z_][A-Za-z0-9_]*)?")) {
            throw new IllegalArgumentException("not a PostgreSQL parameter name: '" + name
                    + "' (use names such as max_connections or recovery_min_apply_delay)");
        }
    }

    @Override
    public String toString() {
        return values.toString();
    }
}
