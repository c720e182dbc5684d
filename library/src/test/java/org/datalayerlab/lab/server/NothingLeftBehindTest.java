package org.datalayerlab.lab.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** kill -9 of the JVM that started a cluster leaves no server behind. */
class NothingLeftBehindTest {

    record Child(Process jvm, Path runDir, List<ProcessHandle> serverProcesses) {
    }

    /** Starts a cluster in a child JVM and collects every process of its three servers. */
    static Child startChild() throws Exception {
        String java = ProcessHandle.current().info().command().orElse("java");
        Process jvm = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), ChildLabMain.class.getName())
                .redirectErrorStream(true).start();
        BufferedReader out = new BufferedReader(new InputStreamReader(jvm.getInputStream()));
        String line;
        StringBuilder seen = new StringBuilder();
        while ((line = out.readLine()) != null && !line.startsWith("READY ")) {
            seen.append(line).append('\n');
        }
        assertTrue(line != null, "child JVM did not start its cluster:\n" + seen);
        String[] f = line.split(" ");
        List<ProcessHandle> servers = new ArrayList<>();
        for (int i = 2; i < f.length; i++) {
            ProcessHandle postmaster = ProcessHandle.of(Long.parseLong(f[i])).orElseThrow();
            servers.add(postmaster);
            servers.addAll(postmaster.descendants().toList());
        }
        assertEquals(3, f.length - 2);
        assertTrue(servers.size() > 3 * 3, "postmasters and their helper processes: " + servers.size());
        return new Child(jvm, Path.of(f[1]), servers);
    }

    static boolean allGoneWithin(List<ProcessHandle> processes, long millis) throws InterruptedException {
        long deadline = System.currentTimeMillis() + millis;
        while (System.currentTimeMillis() < deadline) {
            if (processes.stream().noneMatch(ProcessHandle::isAlive)) {
                return true;
            }
            Thread.sleep(50);
        }
        return false;
    }

    @Test
    void watchdogStopsServersWithinFiveSecondsOfKill9() throws Exception {
        Child child = startChild();
        assertTrue(Files.isDirectory(child.runDir()));
        child.jvm().destroyForcibly(); // SIGKILL: no shutdown hook runs
        child.jvm().waitFor(10, TimeUnit.SECONDS);
        assertTrue(allGoneWithin(child.serverProcesses(), 5_000), "server processes still alive 5 s after kill -9 of their JVM: "
                + child.serverProcesses().stream().filter(ProcessHandle::isAlive).map(p -> p.pid() + " " + p.info().command().orElse("")).toList());
        long deadline = System.currentTimeMillis() + 5_000;
        while (Files.exists(child.runDir()) && System.currentTimeMillis() < deadline) {
            Thread.sleep(50);
        }
        assertFalse(Files.exists(child.runDir()), "the watchdog deletes the run directory");
    }

    @Test
    void nextStartReapsWhatAKilledWatchdogLeft() throws Exception {
        Child child = startChild();
        // kill the watchdog first, then the JVM: now only the start-up reaper can clean up
        List<ProcessHandle> watchdogs = child.jvm().toHandle().children()
                .filter(p -> p.info().commandLine().orElse("").contains("lab-watchdog")
                        || p.info().command().orElse("").endsWith("sh")).toList();
        assertFalse(watchdogs.isEmpty(), "the child JVM has a watchdog process");
        watchdogs.forEach(ProcessHandle::destroyForcibly);
        child.jvm().destroyForcibly();
        child.jvm().waitFor(10, TimeUnit.SECONDS);
        Thread.sleep(500);
        assertTrue(child.serverProcesses().stream().anyMatch(ProcessHandle::isAlive), "servers survive without the watchdog");
        assertTrue(Reaper.reapAbandoned() >= 1);
        assertTrue(allGoneWithin(child.serverProcesses(), 5_000));
        assertFalse(Files.exists(child.runDir()), "leftover data directories are removed");
    }
}
