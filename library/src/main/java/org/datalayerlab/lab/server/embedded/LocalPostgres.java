package org.datalayerlab.lab.server.embedded;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.datalayerlab.lab.LabException;
import org.datalayerlab.lab.Settings;
import org.datalayerlab.lab.Wait;
import org.datalayerlab.lab.server.Files2;
import org.datalayerlab.lab.server.JdbcServer;
import org.datalayerlab.lab.server.Loopback;
import org.datalayerlab.lab.server.Reaper;

/**
 * A PostgreSQL server process on this machine, started directly (no pg_ctl) so the JVM knows
 * its postmaster and can stop, crash and restart it. Its directory holds {@code data/}, the
 * server's {@code postgres.log} and nothing else; {@link #destroy()} stops it and removes both.
 */
public final class LocalPostgres extends JdbcServer {

    private static final Duration START_TIMEOUT = Duration.ofSeconds(120);

    private final String name;
    private final Path dir;
    private final Path data;
    private final Path wal;
    private final PgInstall install;
    private int port;
    private Process process;
    private Settings settings = Settings.none();
    private String replicationLines = "";

    private LocalPostgres(String name, Path dir, PgInstall install, int port) {
        this.name = name;
        this.dir = dir;
        // data files in memory when there is a tmpfs (fast to create), WAL on disk (commits fsync for real)
        this.data = Reaper.fastTwin(dir).resolve("data");
        this.wal = dir.resolve("wal");
        this.install = install;
        this.port = port;
    }

    /** A new server from the template data directory, not yet started. */
    static LocalPostgres fromTemplate(String name, String dirName, Path labDir, Settings settings) {
        PgInstall install = PgInstall.get();
        LocalPostgres pg = new LocalPostgres(name, Files2.mkdirs(labDir.resolve(dirName)), install, Loopback.freePort());
        Files2.copyTree(install.templateData, pg.data, rel -> rel.toString().equals("pg_wal"));
        Files2.copyTree(install.templateWal, pg.wal, rel -> false);
        pg.linkWal();
        pg.writeLabConf(settings, "");
        return pg;
    }

    /** A server whose data directory the caller fills in (a replica's base backup), not yet started. */
    static LocalPostgres empty(String name, String dirName, Path labDir) {
        LocalPostgres pg = new LocalPostgres(name, Files2.mkdirs(labDir.resolve(dirName)), PgInstall.get(), Loopback.freePort());
        pg.install.makeWalDir(pg.wal);
        return pg;
    }

    /** data/pg_wal is a link to the WAL directory on disk, as initdb --waldir makes it. */
    void linkWal() {
        try {
            java.nio.file.Files.createSymbolicLink(data.resolve("pg_wal"), wal);
        } catch (IOException e) {
            throw new LabException("could not link " + data.resolve("pg_wal") + " to " + wal + ": " + e.getMessage(), e);
        }
    }

    /** The settings this server was created with (a replica of it needs at least its max_* values). */
    Settings createdWith() {
        return settings;
    }

    Path dataDir() {
        return data;
    }

    PgInstall install() {
        return install;
    }

    /** Writes lab.conf: the port, then the lesson's settings, then extra lines (replication). */
    synchronized void writeLabConf(Settings settings, String replicationLines) {
        this.settings = settings;
        this.replicationLines = replicationLines;
        Path conf = data.resolve("lab.conf");
        Files2.write(conf, "# written by Data Layer Lab; ALTER SYSTEM overrides it\nport = " + port + "\n"
                + settings.toConfigFile() + replicationLines);
        install.own(conf);
    }

    /** Points a standby at another primary (or, with empty lines, forgets its upstream) and reloads if running. */
    synchronized void replaceReplicationLines(String lines) {
        writeLabConf(settings, lines);
        if (isRunning()) {
            reload();
        }
    }

    /** Writes a file into the data directory, owned by the server's OS user. */
    void writeDataFile(String fileName, String text) {
        Path f = data.resolve(fileName);
        Files2.write(f, text);
        install.own(f);
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public String host() {
        return Loopback.HOST;
    }

    @Override
    public synchronized int port() {
        return port;
    }

    @Override
    public String user() {
        return PgInstall.SUPERUSER;
    }

    @Override
    public String password() {
        return install.password;
    }

    @Override
    public synchronized boolean isRunning() {
        return process != null && process.isAlive() && serverStatus().matches("ready|standby");
    }

    @Override
    public synchronized long pid() {
        return process != null && process.isAlive() ? process.pid() : -1;
    }

    @Override
    public synchronized void start() {
        if (process != null && process.isAlive()) {
            return;
        }
        for (int attempt = 1; ; attempt++) {
            try {
                launch();
                return;
            } catch (PortTakenException e) {
                // another program took our port between choosing it and binding it: pick again
                if (attempt == 3) {
                    throw new LabException(name + ": could not bind a free port on 127.0.0.1 after 3 tries");
                }
                port = Loopback.freePort();
                rewritePort();
            }
        }
    }

    private void launch() {
        Path log = dir.resolve("postgres.log");
        List<String> cmd = new ArrayList<>(install.runAs());
        cmd.add(install.program("postgres").toString());
        cmd.add("-D");
        cmd.add(data.toString());
        long logStart = log.toFile().length();
        try {
            process = new ProcessBuilder(cmd)
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                    .start();
        } catch (IOException e) {
            throw new LabException(name + ": could not start " + cmd + ": " + e.getMessage(), e);
        }
        // postmaster.pid's 8th line says "ready" (primary) or "standby" once connections are accepted
        boolean ready = Wait.upTo(START_TIMEOUT).every(Duration.ofMillis(5)).check(() -> {
            if (!process.isAlive()) {
                String newLog = Files2.read(log).substring((int) Math.min(logStart, Files2.read(log).length()));
                if (newLog.contains("could not bind") || newLog.contains("Address already in use")) {
                    throw new PortTakenException();
                }
                throw new LabException(name + ": PostgreSQL exited during start-up (exit code " + process.exitValue()
                        + "). End of " + log + ":\n" + Files2.tail(log, 15));
            }
            return serverStatus().matches("ready|standby");
        });
        if (!ready) {
            killProcessTree();
            throw new LabException(name + ": PostgreSQL did not accept connections within " + START_TIMEOUT.toSeconds()
                    + " s. End of " + log + ":\n" + Files2.tail(log, 15));
        }
    }

    /** The status word in postmaster.pid: starting, stopping, ready, standby, or "" if there is none. */
    private String serverStatus() {
        String[] lines = Files2.read(data.resolve("postmaster.pid")).split("\n");
        if (lines.length < 8 || process == null || !lines[0].trim().equals(Long.toString(process.pid()))) {
            return "";
        }
        return lines[7].trim();
    }

    private void rewritePort() {
        writeLabConf(settings, replicationLines);
    }

    /** Fast shutdown (SIGINT): open transactions roll back, a checkpoint is written. */
    @Override
    public synchronized void stop() {
        shutdown("INT", 60);
    }

    /** Immediate shutdown (SIGQUIT): no checkpoint, like pulling the plug but politely. Used when closing in a hurry. */
    synchronized void stopImmediately() {
        shutdown("QUIT", 10);
    }

    /** Sends the postmaster {@code signal} and waits for it to exit; SIGKILL if it takes longer than {@code seconds}. */
    private void shutdown(String signal, int seconds) {
        closePools();
        if (process == null || !process.isAlive()) {
            return;
        }
        signal(signal, process.pid());
        try {
            if (!process.waitFor(seconds, TimeUnit.SECONDS)) {
                killProcessTree();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            killProcessTree();
        }
    }

    @Override
    public synchronized void kill9() {
        if (process == null || !process.isAlive()) {
            throw new LabException(name + " is not running: nothing to kill");
        }
        killProcessTree();
        closePools();
    }

    /** SIGSTOP to {@code pid} (no signal API for it in Java); best effort: the SIGKILLs follow anyway. */
    private static void freeze(long pid) {
        try {
            new ProcessBuilder("kill", "-STOP", Long.toString(pid)).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start().waitFor(10, TimeUnit.SECONDS);
        } catch (IOException e) {
            // no kill command: fall back to the race this narrows
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** SIGKILL to the postmaster and every process it started, then wait for all of them to be gone. */
    private void killProcessTree() {
        // Freeze the postmaster first: else it can fork a backend between the listing of its children
        // and its own death, and that orphan serves a client (even commits) after kill9 returned.
        freeze(process.pid());
        List<ProcessHandle> all = new ArrayList<>(process.descendants().toList());
        process.destroyForcibly();
        all.forEach(ProcessHandle::destroyForcibly);
        try {
            process.waitFor(30, TimeUnit.SECONDS);
            for (ProcessHandle p : all) {
                p.onExit().get(30, TimeUnit.SECONDS);
            }
        } catch (Exception e) {
            throw new LabException(name + ": processes did not exit after SIGKILL", e);
        }
    }

    /** Stops the server (fast, or immediately when {@code hurry}) and deletes its directory. */
    synchronized void destroy(boolean hurry) {
        try {
            if (hurry) {
                stopImmediately();
            } else {
                stop();
            }
        } finally {
            Files2.deleteTree(data.getParent());
            Files2.deleteTree(dir);
        }
    }

    private static void signal(String signal, long pid) {
        try {
            Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(pid))
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            kill.waitFor(10, TimeUnit.SECONDS);
        } catch (IOException e) {
            throw new LabException("could not run kill: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static final class PortTakenException extends RuntimeException {
    }
}
