package org.datalayerlab.lab.server.containers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.datalayerlab.lab.server.ChildLabMain;
import org.datalayerlab.lab.server.DockerProbe;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * kill -9 of a JVM that started containers leaves none behind, without Ryuk: the watchdog removes
 * them within the embedded backend's limit, and if the watchdog was killed too, the next start
 * reaps them. Needs an engine with the PostgreSQL image (skipped otherwise).
 */
class ContainersLeftBehindTest {

    static String dockerHost;

    @BeforeAll
    static void engineWithImage() {
        dockerHost = ContainersOnDockerTest.readyEngine();
    }

    record Child(Process jvm, String jvmId) {
    }

    /** A child JVM with a primary and two replicas in containers. */
    static Child startChild() throws Exception {
        String java = ProcessHandle.current().info().command().orElse("java");
        Process jvm = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), ChildLabMain.class.getName(), "containers")
                .redirectErrorStream(true).start();
        BufferedReader out = new BufferedReader(new InputStreamReader(jvm.getInputStream()));
        String line;
        String jvmId = null;
        StringBuilder seen = new StringBuilder();
        while ((line = out.readLine()) != null && !line.startsWith("READY ")) {
            seen.append(line).append('\n');
            if (line.startsWith("JVM ")) {
                jvmId = line.substring(4).trim();
            }
        }
        assertTrue(line != null && jvmId != null, "child JVM did not start its cluster:\n" + seen);
        return new Child(jvm, jvmId);
    }

    static long containersOf(String jvmId) throws Exception {
        return LabContainers.list(dockerHost).stream().filter(c -> c[1].equals(jvmId)).count();
    }

    /** Containers of the JVM that still run (GET /containers/json without all=1 lists running ones only). */
    static long runningOf(String jvmId) throws Exception {
        String json = DockerProbe.call(dockerHost, "GET", "/containers/json", java.time.Duration.ofSeconds(10)).body();
        return json.split("\"" + LabContainers.LABEL + "\":\"" + java.util.regex.Pattern.quote(jvmId) + "\"", -1).length - 1;
    }

    static boolean noneRunningWithin(String jvmId, long millis) throws Exception {
        long deadline = System.currentTimeMillis() + millis;
        while (System.currentTimeMillis() < deadline) {
            if (runningOf(jvmId) == 0) {
                return true;
            }
            Thread.sleep(100);
        }
        return false;
    }

    @Test
    void watchdogRemovesContainersWithinFiveSecondsOfKill9() throws Exception {
        Child child = startChild();
        assertEquals(3, containersOf(child.jvmId()), "primary and two replicas, labelled with the child's JVM id");
        long killed = System.nanoTime();
        child.jvm().destroyForcibly(); // SIGKILL: no shutdown hook runs
        child.jvm().waitFor(10, TimeUnit.SECONDS);
        // the watchdog polls every 0.2 s, then has the limit the embedded backend has: 5 s
        assertTrue(noneRunningWithin(child.jvmId(), 5_200), "containers still running 5.2 s after kill -9 of their JVM");
        System.out.printf("containers stopped %.1f s after kill -9%n", (System.nanoTime() - killed) / 1e9);
        assertTrue(waitUntilRemoved(child.jvmId(), 10_000), "and removed soon after");
        System.out.printf("containers removed %.1f s after kill -9%n", (System.nanoTime() - killed) / 1e9);
    }

    static boolean waitUntilRemoved(String jvmId, long millis) throws Exception {
        long deadline = System.currentTimeMillis() + millis;
        while (containersOf(jvmId) > 0) {
            if (System.currentTimeMillis() > deadline) {
                return false;
            }
            Thread.sleep(100);
        }
        return true;
    }

    @Test
    void nextStartReapsWhatAKilledWatchdogLeft() throws Exception {
        Child child = startChild();
        List<ProcessHandle> watchdogs = child.jvm().toHandle().children()
                .filter(p -> p.info().commandLine().orElse("").contains(LabContainers.class.getName())).toList();
        assertEquals(1, watchdogs.size(), "the child JVM has one container watchdog");
        watchdogs.forEach(ProcessHandle::destroyForcibly);
        child.jvm().destroyForcibly();
        child.jvm().waitFor(10, TimeUnit.SECONDS);
        Thread.sleep(1_000);
        assertEquals(3, containersOf(child.jvmId()), "without the watchdog the containers survive");
        assertTrue(LabContainers.reapAbandoned(dockerHost) >= 3);
        assertFalse(containersOf(child.jvmId()) > 0, "reaped");
    }
}
