package org.datalayerlab.lab.server;

import java.io.File;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.datalayerlab.lab.LabConfig;
import org.datalayerlab.lab.LabException;

/**
 * Makes sure no server outlives the JVM that started it, three ways:
 * <ul>
 * <li>every JVM gets one directory, {@code <lab home>/runs/<pid>-<start>}, under which all of
 *     its servers live, and an {@code owner} file naming the JVM;</li>
 * <li>a small watchdog process per JVM waits for the JVM to die (even by kill -9), then stops
 *     every postmaster under that directory and deletes it;</li>
 * <li>the first lab started in any later JVM reaps run directories whose JVM is gone
 *     (in case the watchdog itself was killed).</li>
 * </ul>
 * On ordinary exits, Lab's shutdown hook closes every open lab, then deletes the run directory.
 */
public final class Reaper {

    private static final AtomicInteger SEQUENCE = new AtomicInteger();
    private static Path jvmDir;
    private static Path jvmFastDir;

    private Reaper() {
    }

    /** Where the lab keeps binaries and run directories: LAB_HOME (see {@link LabConfig}). */
    public static Path home() {
        return LabConfig.current().home();
    }

    /**
     * Where data directories (without their WAL) live: LAB_FAST_HOME, by default a tmpfs when
     * there is one (/dev/shm). WAL stays under {@link #home()} on disk, so commits still pay a real fsync.
     */
    public static Path fastHome() {
        return LabConfig.current().fastHome();
    }

    /** This JVM's run directory on disk: created (and the watchdog started, old runs reaped) on first use. */
    public static synchronized Path jvmDir() {
        if (jvmDir == null) {
            reapAbandoned();
            ProcessHandle self = ProcessHandle.current();
            String runName = self.pid() + "-" + startMillis(self);
            String owner = self.pid() + " " + startMillis(self) + "\n";
            Path dir = Files2.mkdirs(home().resolve("runs").resolve(runName));
            Files2.write(dir.resolve("owner"), owner);
            Path fast = Files2.mkdirs(fastHome().resolve("runs").resolve(runName));
            Files2.write(fast.resolve("owner"), owner);
            startWatchdog(self.pid(), dir, fast);
            jvmDir = dir;
            jvmFastDir = fast;
        }
        return jvmDir;
    }

    /** The tmpfs (or disk) twin of a directory under {@link #jvmDir()}, created if needed: data directories go there. */
    public static synchronized Path fastTwin(Path underJvmDir) {
        jvmDir();
        return Files2.mkdirs(jvmFastDir.resolve(jvmDir.relativize(underJvmDir).toString()));
    }

    /** A fresh directory for one lab (or one server set) inside this JVM's run directory. */
    public static Path newLabDir() {
        return Files2.mkdirs(jvmDir().resolve("lab-" + SEQUENCE.incrementAndGet()));
    }

    /** Deletes this JVM's run directory at exit (Lab's shutdown hook calls it once the servers are stopped). */
    public static synchronized void deleteJvmDir() {
        if (jvmDir != null) {
            Files2.deleteTree(jvmFastDir);
            Files2.deleteTree(jvmDir);
            jvmDir = null;
        }
    }

    /** This JVM as "pid-startMillis": it names the JVM's run directory and labels its containers. */
    public static String jvmId() {
        ProcessHandle self = ProcessHandle.current();
        return self.pid() + "-" + startMillis(self);
    }

    /** Whether the JVM a {@link #jvmId()} names still runs (a reused pid with another start time does not count). */
    public static boolean jvmAlive(String jvmId) {
        String[] f = jvmId.trim().split("[-\\s]+");
        if (f.length < 2) {
            return false;
        }
        try {
            long start = Long.parseLong(f[1]);
            Optional<ProcessHandle> p = ProcessHandle.of(Long.parseLong(f[0]));
            return p.isPresent() && p.get().isAlive() && Math.abs(startMillis(p.get()) - start) < 2_000;
        } catch (NumberFormatException e) {
            return false;
        }
    }

    private static long startMillis(ProcessHandle p) {
        return p.info().startInstant().map(java.time.Instant::toEpochMilli).orElse(0L);
    }

    /** Reaps now what dead JVMs left behind (done automatically when a JVM starts its first lab); returns how many runs. */
    public static int reapAbandoned() {
        // data directories (with the postmaster.pid files) first, then the WAL and logs on disk
        int reaped = 0;
        if (!fastHome().equals(home())) {
            reaped += reapAbandoned(Files2.mkdirs(fastHome().resolve("runs")));
        }
        return reaped + reapAbandoned(Files2.mkdirs(home().resolve("runs")));
    }

    /** Stops the postmasters of run directories whose JVM is gone and removes the directories. */
    static int reapAbandoned(Path runs) {
        int reaped = 0;
        try (DirectoryStream<Path> dirs = Files.newDirectoryStream(runs)) {
            for (Path dir : dirs) {
                if (Files.isDirectory(dir) && !ownerAlive(dir)) {
                    killPostmastersUnder(dir);
                    Files2.deleteTree(dir);
                    reaped++;
                }
            }
        } catch (IOException e) {
            // nothing to reap
        }
        return reaped;
    }

    /** The owner is alive if a process with that pid exists and started at the recorded time (pids are reused). */
    private static boolean ownerAlive(Path dir) {
        String owner = Files2.read(dir.resolve("owner")).trim();
        // an empty owner file is being written right now by another JVM (or is broken): judge by the directory name
        return jvmAlive(owner.contains(" ") ? owner : dir.getFileName().toString());
    }

    /** SIGKILLs every postgres process recorded in a postmaster.pid under {@code dir}, with its children. */
    static void killPostmastersUnder(Path dir) {
        try (var files = Files.walk(dir, 4)) {
            files.filter(f -> f.getFileName().toString().equals("postmaster.pid")).forEach(pidFile -> {
                String first = Files2.read(pidFile).split("\n")[0].trim();
                try {
                    ProcessHandle.of(Long.parseLong(first)).ifPresent(p -> {
                        // a reused pid belongs to some other program: only kill postgres
                        if (p.info().command().map(c -> c.endsWith("postgres")).orElse(false)) {
                            p.descendants().forEach(ProcessHandle::destroyForcibly);
                            p.destroyForcibly();
                        }
                    });
                } catch (NumberFormatException e) {
                    // no server ran here
                }
            });
        } catch (IOException | java.io.UncheckedIOException e) {
            // gone meanwhile
        }
    }

    /**
     * One sh process per JVM, in its own session so a signal to the JVM's process group does not
     * take it along: polls the JVM every 0.2 s; when it is gone, asks every postmaster for an
     * immediate shutdown (SIGQUIT), SIGKILLs what is left a second later, deletes the directory.
     */
    private static void startWatchdog(long jvmPid, Path dir, Path fast) {
        String script = String.join("\n",
                "jvm=$1; dir=$2; fast=$3",
                "while kill -0 \"$jvm\" 2>/dev/null; do sleep 0.2; done",
                "pids=''",
                "for f in \"$fast\"/*/*/data/postmaster.pid \"$fast\"/*/data/postmaster.pid; do",
                "  [ -f \"$f\" ] && pids=\"$pids $(head -n 1 \"$f\")\"",
                "done",
                "if [ -n \"$pids\" ]; then kill -QUIT $pids 2>/dev/null; sleep 1; kill -KILL $pids 2>/dev/null; fi",
                "rm -rf \"$fast\" \"$dir\"");
        startDetached(List.of("/bin/sh", "-c", script, "lab-watchdog", Long.toString(jvmPid), dir.toString(), fast.toString()),
                "the lab's watchdog process (/bin/sh)");
    }

    /**
     * Starts a watchdog-like process in its own session (setsid, where there is one), so that a signal
     * to the JVM's process group does not take it along; no input, output discarded.
     */
    public static void startDetached(List<String> command, String what) {
        List<String> full = new java.util.ArrayList<>();
        if (new File("/usr/bin/setsid").canExecute()) {
            full.add("/usr/bin/setsid");
        }
        full.addAll(command);
        try {
            new ProcessBuilder(full)
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .redirectError(ProcessBuilder.Redirect.DISCARD)
                    .start();
        } catch (IOException e) {
            throw new LabException("could not start " + what + ": " + e.getMessage(), e);
        }
    }
}
