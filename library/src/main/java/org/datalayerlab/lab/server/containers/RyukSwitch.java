package org.datalayerlab.lab.server.containers;

import java.lang.reflect.Constructor;
import java.lang.reflect.Field;
import org.datalayerlab.lab.server.ContainerImages;
import org.testcontainers.utility.ResourceReaper;
import org.testcontainers.utility.TestcontainersConfiguration;

/**
 * Testcontainers' Ryuk container removes a JVM's containers when the JVM dies, but only if its
 * image can be had: without it, Testcontainers retries the pull for minutes before the first
 * container starts. So Ryuk is used only when the engine already has its image. Testcontainers
 * 1.21 reads its off switch (TESTCONTAINERS_RYUK_DISABLED) from the environment only, which a
 * running kernel cannot change; so the switch is thrown the one other way there is: by choosing,
 * before Testcontainers first asks, the reaper it would choose when the variable is set. The lab's
 * own labels and watchdog ({@link LabContainers}) clean up either way.
 */
final class RyukSwitch {

    private RyukSwitch() {
    }

    /** Leaves Ryuk on if the engine has its image (or the user switched it off already); else switches it off. */
    static synchronized void useOnlyIfPresent(String dockerHost) {
        if (Boolean.parseBoolean(System.getenv("TESTCONTAINERS_RYUK_DISABLED"))
                || ContainerImages.present(dockerHost, TestcontainersConfiguration.getInstance().getRyukImage())) {
            return;
        }
        synchronized (ResourceReaper.class) {
            try {
                Field instance = ResourceReaper.class.getDeclaredField("instance");
                instance.setAccessible(true);
                if (instance.get(null) == null) {
                    Constructor<?> jvmHookReaper = Class.forName("org.testcontainers.utility.JVMHookResourceReaper")
                            .getDeclaredConstructor();
                    jvmHookReaper.setAccessible(true);
                    instance.set(null, jvmHookReaper.newInstance());
                }
            } catch (ReflectiveOperationException | RuntimeException e) {
                throw new org.datalayerlab.lab.LabException("the engine has no Ryuk image ("
                        + TestcontainersConfiguration.getInstance().getRyukImage() + ") and this Testcontainers version"
                        + " cannot be told to do without it: set TESTCONTAINERS_RYUK_DISABLED=true before starting"
                        + " the kernel, or pull the image", e);
            }
        }
    }
}
