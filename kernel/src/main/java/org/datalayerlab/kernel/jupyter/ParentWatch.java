package org.datalayerlab.kernel.jupyter;

import java.util.Optional;

/**
 * Ends the kernel when the process that started it is gone, as ipykernel does: jupyter_client puts
 * its pid in JPY_PARENT_PID. Without this a killed Jupyter server leaves the kernel JVM running,
 * with every database server its cells started.
 */
final class ParentWatch {

    static final long CHECK_MS = 500;

    private ParentWatch() {
    }

    /** Watches the pid in JPY_PARENT_PID (if set); runs {@code onGone} once when that process ends. */
    static void start(String parentPid, Runnable onGone) {
        Optional<Long> pid = parse(parentPid);
        if (pid.isEmpty()) {
            return; // not started by Jupyter: nothing to watch
        }
        Thread thread = new Thread(() -> {
            try {
                // a parent that died before this JVM got here is just as gone
                while (ProcessHandle.of(pid.get()).map(ProcessHandle::isAlive).orElse(false)) {
                    Thread.sleep(CHECK_MS);
                }
                LabKernel.log("the process that started this kernel (pid " + pid.get() + ") is gone: shutting down");
                onGone.run();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "lab-parent-watch");
        thread.setDaemon(true);
        thread.start();
    }

    static Optional<Long> parse(String pid) {
        if (pid == null || pid.isBlank()) {
            return Optional.empty();
        }
        try {
            long value = Long.parseLong(pid.strip());
            return value > 1 ? Optional.of(value) : Optional.empty();
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }
}
