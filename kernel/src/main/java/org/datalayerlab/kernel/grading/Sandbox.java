package org.datalayerlab.kernel.grading;

import java.io.File;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Where a submission's code runs: a scratch folder holding only what a student has (the library,
 * the datasets, their own notebook), a clean environment, and, when the grader is root, an unprivileged OS user
 * of its own ({@value #DEFAULT_USER}, or LAB_GRADE_USER) that cannot read the course folder, the
 * instructor's notebooks, other submissions or the grades (the grader makes those folders private
 * to their owner if they are not). Every process that user runs is killed when a submission's
 * grading ends, whether or not it left the process tree (setsid): {@code kill -KILL -1} as that
 * user reaches all of them at once. A cgroup would do the same, but cgroup v2 with cgroup.kill is
 * not writable in every container the course runs in; a user is.
 *
 * <p>Without root there is no other user to switch to: the code runs as the grader's own user
 * (it could read what the grader can read), still in the scratch folder with a clean environment,
 * and the processes it leaves are found by their process tree and by a per-submission marker in
 * their environment.
 */
final class Sandbox implements AutoCloseable {

    static final String DEFAULT_USER = "datalayerlab-grader";
    private static final Path SETPRIV = Path.of("/usr/bin/setpriv");
    /** Its built-in kill: procps' /bin/kill is not on every minimal system. */
    private static final Path SHELL = Path.of("/bin/sh");
    /** Where an unprivileged user can leave files behind. */
    private static final List<Path> SHARED_TEMP = List.of(Path.of("/tmp"), Path.of("/var/tmp"), Path.of("/dev/shm"));

    /** The OS user the code runs as; {@code isolated} when it is not the grader's own. */
    record User(String name, int uid, int gid, boolean isolated) {
    }

    final Path root;
    final User user;
    private final List<String> classPath;
    private String marker = "";

    private Sandbox(Path root, User user, List<String> classPath) {
        this.root = root;
        this.user = user;
        this.classPath = classPath;
    }

    /** Stages the library and the kernel's classpath in a fresh scratch root, readable by the grading user. */
    static Sandbox open(Path courseHome, Map<String, String> env, PrintStream console) throws IOException {
        User user = isRoot() ? gradingUser(env.getOrDefault("LAB_GRADE_USER", DEFAULT_USER)) : currentUser();
        Path root = Files.createTempDirectory("datalayerlab-grading-");
        setMode(root, "rwxr-xr-x");
        List<String> classPath = new ArrayList<>();
        Path lib = Files.createDirectories(root.resolve("kernel/lib"));
        int n = 0;
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            if (entry.isBlank()) continue;
            Path from = Path.of(entry).toAbsolutePath();
            if (!Files.exists(from)) continue;
            Path to = lib.resolve(String.format("%03d-%s", n++, from.getFileName()));
            stage(from, to);
            classPath.add(to.toString());
        }
        Path libraryJars = courseHome.resolve("library/target/lib");
        if (Files.isDirectory(libraryJars)) { // the notebooks' "%jars ../library/target/lib/*.jar"
            stage(libraryJars, root.resolve("library/target/lib"));
        }
        Path datasets = courseHome.resolve("datasets"); // released material the notebooks load
        if (Files.isDirectory(datasets)) stage(datasets, root.resolve("datasets"));
        Sandbox sandbox = new Sandbox(root, user, classPath);
        if (!user.isolated()) {
            console.println("lab grade: not running as root, so submissions run as your own user (" + user.name()
                    + ") and could read what you can read; they still run in a scratch folder with a clean"
                    + " environment, and what they leave running is stopped. Run ./lab grade as root to give them"
                    + " an unprivileged user of their own.");
        }
        return sandbox;
    }

    /** Makes {@code path} (a folder) unreadable for the grading user, when it is not already. */
    void hide(Path path, PrintStream console) throws IOException {
        if (!user.isolated() || !Files.isDirectory(path)) return;
        Set<PosixFilePermission> perms = Files.getPosixFilePermissions(path);
        if (!perms.removeIf(p -> p.name().startsWith("OTHERS_"))) return;
        Files.setPosixFilePermissions(path, perms);
        console.println("lab grade: made " + path + " private to its owner (chmod o-rwx), so that graded code"
                + " (user " + user.name() + ") cannot read it");
    }

    /** A fresh working folder (notebooks/, the cells' working directory) and home for one submission. */
    Path prepare(String notebookName, byte[] studentNotebook) throws IOException {
        cleanUp();
        Path notebooks = Files.createDirectories(root.resolve("notebooks"));
        Path home = Files.createDirectories(root.resolve("home/tmp"));
        Files.write(notebooks.resolve(notebookName), studentNotebook);
        for (Path p : List.of(notebooks, notebooks.resolve(notebookName), root.resolve("home"), home)) give(p);
        marker = UUID.randomUUID().toString();
        return notebooks;
    }

    /** The command that starts the cell JVM as the grading user, up to (not including) the main class. */
    List<String> javaCommand(List<String> javaOptions) {
        List<String> cmd = new ArrayList<>();
        if (user.isolated()) {
            cmd.addAll(List.of(SETPRIV.toString(), "--reuid=" + user.uid(), "--regid=" + user.gid(), "--clear-groups",
                    "--no-new-privs", "--"));
        }
        cmd.add(ProcessHandle.current().info().command().orElse(
                Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        cmd.add("-ea"); // test cells may use Java's assert statement: make it check
        cmd.add("-Djava.io.tmpdir=" + root.resolve("home/tmp"));
        cmd.addAll(javaOptions);
        cmd.add("-cp");
        cmd.add(String.join(File.pathSeparator, classPath));
        return cmd;
    }

    /** Only what a notebook needs: no variable of the grader's (paths, tokens) reaches the cells. */
    Map<String, String> environment(String notebookName, String scale) {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("PATH", "/usr/local/bin:/usr/bin:/bin");
        env.put("LANG", "C.UTF-8");
        env.put("HOME", root.resolve("home").toString());
        env.put("USER", user.name());
        env.put("LAB_HOME", root.resolve("home/lab").toString());
        env.put("LAB_SCALE", scale);
        env.put("LAB_NOTEBOOK", notebookName);
        env.put("LAB_GRADING_RUN", marker); // finds this submission's processes when there is no user of its own
        return env;
    }

    /**
     * Ends every process the submission started and deletes what it wrote: its folders here and
     * its files in the shared temporary folders. Holds until none of its processes is left.
     */
    void cleanUp() throws IOException {
        for (int round = 0; ; round++) {
            List<ProcessHandle> left = processes();
            if (left.isEmpty()) break;
            if (round == 100) {
                throw new IOException("could not stop the graded code's processes (user " + user.name() + "): "
                        + left.stream().map(p -> p.pid() + " " + p.info().commandLine().orElse("")).toList());
            }
            if (user.isolated()) {
                run(List.of(SETPRIV.toString(), "--reuid=" + user.uid(), "--regid=" + user.gid(), "--clear-groups",
                        SHELL.toString(), "-c", "kill -KILL -1"));
            } else {
                left.forEach(ProcessHandle::destroyForcibly);
            }
            sleep(100);
        }
        deleteTree(root.resolve("notebooks"));
        deleteTree(root.resolve("home"));
        if (user.isolated()) {
            for (Path shared : SHARED_TEMP) {
                if (!Files.isDirectory(shared)) continue;
                try (Stream<Path> entries = Files.list(shared)) {
                    for (Path p : entries.toList()) {
                        if (ownerUid(p) == user.uid()) deleteTree(p);
                    }
                }
            }
        }
    }

    /** Deletes the scratch root; {@link #cleanUp} has ended each submission's processes, under the lock. */
    @Override
    public void close() throws IOException {
        deleteTree(root);
    }

    /**
     * One submission at a time on this machine for the grading user: two batches graded at once
     * would otherwise stop each other's processes.
     */
    AutoCloseable lock() throws IOException {
        if (!user.isolated()) return () -> { };
        Path file = Path.of(System.getProperty("java.io.tmpdir"), "datalayerlab-grading-" + user.name() + ".lock");
        FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        channel.lock();
        return channel; // closing it releases the lock
    }

    /** The live processes of this submission: the grading user's, or (as ourselves) those carrying its marker. */
    private List<ProcessHandle> processes() {
        List<ProcessHandle> found = new ArrayList<>();
        try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
            for (Path p : procs.toList()) {
                String name = p.getFileName().toString();
                if (!name.chars().allMatch(Character::isDigit) || Long.parseLong(name) == ProcessHandle.current().pid()) {
                    continue;
                }
                try {
                    String status = Files.readString(p.resolve("status"));
                    if (status.contains("\nState:\tZ")) continue; // already dead, waiting to be reaped
                    boolean ours = user.isolated() ? realUid(status) == user.uid()
                            : !marker.isEmpty() && new String(Files.readAllBytes(p.resolve("environ")),
                            StandardCharsets.UTF_8).contains("LAB_GRADING_RUN=" + marker);
                    if (ours) ProcessHandle.of(Long.parseLong(name)).ifPresent(found::add);
                } catch (IOException | RuntimeException gone) {
                    // the process ended while we looked, or is not ours to read
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot list /proc: " + e.getMessage(), e);
        }
        return found;
    }

    private static int realUid(String status) {
        for (String line : status.split("\n")) {
            if (line.startsWith("Uid:")) return Integer.parseInt(line.substring(4).trim().split("\\s+")[0]);
        }
        return -1;
    }

    private void give(Path p) throws IOException {
        if (!user.isolated()) return;
        Files.setAttribute(p, "unix:uid", user.uid());
        Files.setAttribute(p, "unix:gid", user.gid());
        setMode(p, Files.isDirectory(p) ? "rwx------" : "rw-------");
    }

    static boolean isRoot() {
        try {
            return ((Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid")) == 0;
        } catch (IOException | UnsupportedOperationException e) {
            return false;
        }
    }

    private static User currentUser() throws IOException {
        int uid = (Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid");
        int gid = (Integer) Files.getAttribute(Path.of("/proc/self"), "unix:gid");
        return new User(System.getProperty("user.name"), uid, gid, false);
    }

    /** The grading user, created (a system user with no home and no login) the first time. */
    private static User gradingUser(String name) throws IOException {
        if (!Files.isExecutable(SETPRIV)) {
            throw new IOException("grading as root runs submissions as user " + name + " with " + SETPRIV
                    + " (util-linux): install it, or grade as an ordinary user");
        }
        User user = lookUp(name);
        if (user != null) return user;
        List<String> useradd = List.of("useradd", "--system", "--user-group", "--no-create-home",
                "--home-dir", "/nonexistent", "--shell", "/usr/sbin/nologin", name);
        String failed = run(useradd);
        user = lookUp(name);
        if (user == null) {
            throw new IOException("could not create the grading user " + name + " (" + String.join(" ", useradd) + ": "
                    + failed + "); create an unprivileged user and name it in LAB_GRADE_USER");
        }
        return user;
    }

    private static User lookUp(String name) throws IOException {
        for (String line : Files.readAllLines(Path.of("/etc/passwd"))) {
            String[] f = line.split(":");
            if (f.length > 3 && f[0].equals(name)) {
                int uid = Integer.parseInt(f[2]);
                if (uid == 0) throw new IOException("LAB_GRADE_USER " + name + " is root: name an unprivileged user");
                return new User(name, uid, Integer.parseInt(f[3]), true);
            }
        }
        return null;
    }

    /** Runs a short command; returns its output if it failed, else "". */
    private static String run(List<String> cmd) throws IOException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        try {
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            if (!p.waitFor(30, TimeUnit.SECONDS)) p.destroyForcibly();
            return p.exitValue() == 0 ? "" : out.isEmpty() ? "exit code " + p.exitValue() : out;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }

    /** Hard links where the file system allows (instant, and the jars stay read-only), else copies. */
    private static void stage(Path from, Path to) throws IOException {
        if (Files.isDirectory(from)) {
            try (Stream<Path> all = Files.walk(from)) {
                for (Path p : all.toList()) {
                    Path target = to.resolve(from.relativize(p).toString());
                    if (Files.isDirectory(p)) {
                        Files.createDirectories(target);
                        setMode(target, "rwxr-xr-x");
                    } else {
                        stage(p, target);
                    }
                }
            }
            return;
        }
        Files.createDirectories(to.getParent());
        try {
            Files.createLink(to, from);
            if (Files.getPosixFilePermissions(to).contains(PosixFilePermission.OTHERS_READ)) return;
            Files.delete(to); // not readable for others: copy instead of changing the original's mode
        } catch (FileAlreadyExistsException e) {
            throw e;
        } catch (IOException | UnsupportedOperationException e) {
            // another file system: copy
        }
        Files.copy(from, to);
        setMode(to, "rw-r--r--");
    }

    private static int ownerUid(Path p) {
        try {
            return (Integer) Files.getAttribute(p, "unix:uid", LinkOption.NOFOLLOW_LINKS);
        } catch (IOException e) {
            return -1;
        }
    }

    private static void setMode(Path p, String mode) throws IOException {
        Files.setPosixFilePermissions(p, PosixFilePermissions.fromString(mode));
    }

    static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) return;
        try (Stream<Path> all = Files.walk(dir)) {
            for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
