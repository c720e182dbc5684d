package org.datalayerlab.lab;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;

/**
 * Every LAB_* environment variable the library reads, read in one place. {@link #current()} reads
 * the process environment once; tests build their own with {@link #from(Map)}. README.md lists the
 * same variables with the same defaults.
 *
 * @param backend          LAB_BACKEND: auto (default), embedded, containers or external
 * @param scale            LAB_SCALE: ci (default) or full
 * @param home             LAB_HOME: binaries and run folders; default {tmp}/datalayerlab-{user}
 * @param fastHome         LAB_FAST_HOME: data directories; default /dev/shm/datalayerlab-{user} when
 *                         /dev/shm is writable and LAB_HOME is unset, else the same as home
 * @param pgOsUser         LAB_PG_OS_USER: the OS user PostgreSQL runs as when the JVM runs as root; default nobody
 * @param datasets         LAB_DATASETS: the datasets folder, or null to look for datasets/ above the working directory
 * @param externalUrls     LAB_EXTERNAL_URLS: comma-separated JDBC URLs, the primary first (external backend); default empty
 * @param externalUser     LAB_EXTERNAL_USER: default postgres
 * @param externalPassword LAB_EXTERNAL_PASSWORD: default empty
 * @param postgresImage    LAB_POSTGRES_IMAGE: the containers backend's PostgreSQL image; default the official postgres:17
 */
public record LabConfig(String backend, String scale, Path home, Path fastHome, String pgOsUser, Path datasets,
                        String externalUrls, String externalUser, String externalPassword, String postgresImage) {

    private static LabConfig current;

    /** The process environment's configuration, read on first use. */
    public static synchronized LabConfig current() {
        if (current == null) {
            current = from(System.getenv());
        }
        return current;
    }

    /** The configuration a given environment describes; no checks yet (see {@link #scale()} and BackendChoice). */
    public static LabConfig from(Map<String, String> env) {
        String user = System.getProperty("user.name");
        String labHome = value(env, "LAB_HOME");
        Path home = labHome == null
                ? Path.of(System.getProperty("java.io.tmpdir"), "datalayerlab-" + user)
                : Path.of(labHome).toAbsolutePath();
        String fast = value(env, "LAB_FAST_HOME");
        Path shm = Path.of("/dev/shm");
        Path fastHome = fast != null ? Path.of(fast).toAbsolutePath()
                // data directories (~1000 small files each) are made in milliseconds in memory, in up to a second on some disks
                : labHome == null && Files.isDirectory(shm) && Files.isWritable(shm) ? shm.resolve("datalayerlab-" + user)
                : home;
        String datasets = value(env, "LAB_DATASETS");
        return new LabConfig(
                orDefault(env, "LAB_BACKEND", "auto").toLowerCase(Locale.ROOT),
                orDefault(env, "LAB_SCALE", "ci").toLowerCase(Locale.ROOT),
                home, fastHome,
                orDefault(env, "LAB_PG_OS_USER", "nobody"),
                datasets == null ? null : Path.of(datasets).toAbsolutePath(),
                orDefault(env, "LAB_EXTERNAL_URLS", ""),
                orDefault(env, "LAB_EXTERNAL_USER", "postgres"),
                env.getOrDefault("LAB_EXTERNAL_PASSWORD", ""),
                orDefault(env, "LAB_POSTGRES_IMAGE", org.datalayerlab.lab.server.ContainerImages.DEFAULT_POSTGRES));
    }

    /** The same configuration with another backend (Lab.start("embedded")). */
    public LabConfig withBackend(String name) {
        return new LabConfig(name.trim().toLowerCase(Locale.ROOT), scale, home, fastHome, pgOsUser, datasets,
                externalUrls, externalUser, externalPassword, postgresImage);
    }

    /** "ci" or "full"; anything else is refused here, where a notebook first asks. */
    @Override
    public String scale() {
        if (!scale.equals("ci") && !scale.equals("full")) {
            throw new LabException("LAB_SCALE=" + scale + " is not a scale: use ci or full");
        }
        return scale;
    }

    /** The external backend's URLs, one a JDBC URL. */
    public java.util.List<String> externalUrlList() {
        java.util.List<String> list = new java.util.ArrayList<>();
        for (String u : externalUrls.split(",")) {
            if (!u.isBlank()) {
                list.add(u.trim());
            }
        }
        return list;
    }

    private static String value(Map<String, String> env, String name) {
        String v = env.get(name);
        return v == null || v.isBlank() ? null : v.trim();
    }

    private static String orDefault(Map<String, String> env, String name, String fallback) {
        String v = value(env, name);
        return v == null ? fallback : v;
    }

    @Override
    public String toString() {
        // the password stays out of printed output
        return "LabConfig[backend=" + backend + ", scale=" + scale + ", home=" + home + ", fastHome=" + fastHome
                + ", pgOsUser=" + pgOsUser + ", datasets=" + datasets + ", externalUrls=" + externalUrls
                + ", externalUser=" + externalUser + ", postgresImage=" + postgresImage + "]";
    }
}
