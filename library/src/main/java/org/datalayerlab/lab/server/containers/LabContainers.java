package org.datalayerlab.lab.server.containers;

import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.datalayerlab.lab.LabException;
import org.datalayerlab.lab.server.DockerProbe;
import org.datalayerlab.lab.server.Reaper;

/**
 * Nothing the containers backend starts outlives its JVM, with or without Ryuk. Every container
 * carries the label {@value #LABEL} = the JVM's id ("pid-startMillis", as its run directory).
 * A watchdog process per JVM (this class's {@link #main}) waits for the JVM to die, even by
 * kill -9, and removes its containers; and the first containers lab of any later JVM removes
 * labelled containers whose JVM is gone (in case the watchdog was killed too). All of it talks
 * to the engine over plain HTTP ({@link DockerProbe#call}), so the watchdog needs no Testcontainers.
 */
public final class LabContainers {

    /** The label on every container the lab makes; its value is the owning JVM's id. */
    public static final String LABEL = "org.datalayerlab.lab";
    private static final Duration CALL_TIMEOUT = Duration.ofSeconds(30);
    private static final Pattern ID_AND_OWNER = Pattern.compile(
            "\"Id\":\"([0-9a-f]{64})\".*?\"" + Pattern.quote(LABEL) + "\":\"([^\"]*)\"");
    private static boolean watchdogStarted;

    private LabContainers() {
    }

    /** The labelled containers (running or not) as id and owner, newest first, as the engine lists them. */
    static List<String[]> list(String dockerHost) throws IOException {
        String filter = URLEncoder.encode("{\"label\":[\"" + LABEL + "\"]}", StandardCharsets.UTF_8);
        String json = DockerProbe.call(dockerHost, "GET", "/containers/json?all=1&filters=" + filter, CALL_TIMEOUT).body();
        List<String[]> found = new ArrayList<>();
        // one object per container: split so a label match never crosses into the next container
        for (String container : json.split("\\},\\{\"Id\"")) {
            Matcher m = ID_AND_OWNER.matcher(container.startsWith("[{") ? container : "\"Id\"" + container);
            if (m.find()) {
                found.add(new String[] {m.group(1), m.group(2)});
            }
        }
        return found;
    }

    /** Kills and removes a container with its anonymous volumes. */
    static void remove(String dockerHost, String id) throws IOException {
        DockerProbe.call(dockerHost, "DELETE", "/containers/" + id + "?force=1&v=1", CALL_TIMEOUT);
    }

    /** Removes the containers of JVMs that are gone; returns how many. */
    public static int reapAbandoned(String dockerHost) {
        int reaped = 0;
        try {
            for (String[] c : list(dockerHost)) {
                if (!Reaper.jvmAlive(c[1])) {
                    remove(dockerHost, c[0]);
                    reaped++;
                }
            }
        } catch (IOException e) {
            // the engine went away: nothing to reap now, the next start tries again
        }
        return reaped;
    }

    /** Removes every container one JVM made, SIGKILLing them all first (stopping is what must be quick); returns how many. */
    static int removeAllOf(String dockerHost, String jvmId) throws IOException {
        List<String> ids = list(dockerHost).stream().filter(c -> c[1].equals(jvmId)).map(c -> c[0]).toList();
        for (String id : ids) {
            DockerProbe.call(dockerHost, "POST", "/containers/" + id + "/kill", CALL_TIMEOUT);
        }
        for (String id : ids) {
            remove(dockerHost, id);
        }
        return ids.size();
    }

    /**
     * Starts this JVM's watchdog once: a small JVM of its own (in its own session, so a signal to
     * the kernel's process group spares it) running {@link #main} on this library's classes.
     */
    static synchronized void startWatchdog(String dockerHost) {
        if (watchdogStarted) {
            return;
        }
        String java = ProcessHandle.current().info().command().orElse("java");
        String classes;
        try {
            // the library's jar (or classes folder): a notebook loads it with %jars, not on the JVM's class path
            classes = Path.of(LabContainers.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
        } catch (Exception e) {
            throw new LabException("could not find the library's classes for the container watchdog: " + e.getMessage(), e);
        }
        Reaper.startDetached(List.of(java, "-Xmx32m", "-XX:TieredStopAtLevel=1", "-cp", classes,
                LabContainers.class.getName(), Reaper.jvmId(), dockerHost), "the container watchdog (" + java + ")");
        watchdogStarted = true;
    }

    /** The watchdog: {@code LabContainers <jvmId> <dockerHost>}. Polls the JVM every 0.2 s; when it is gone, removes its containers. */
    public static void main(String[] args) throws Exception {
        String jvmId = args[0];
        String dockerHost = args[1];
        while (Reaper.jvmAlive(jvmId)) {
            Thread.sleep(200);
        }
        // twice: a container being created as the JVM died shows up a moment later
        for (int round = 0; round < 2; round++) {
            try {
                removeAllOf(dockerHost, jvmId);
            } catch (IOException e) {
                // engine gone: the next lab's start reaps
            }
            Thread.sleep(1000);
        }
    }
}
