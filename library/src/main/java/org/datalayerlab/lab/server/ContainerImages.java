package org.datalayerlab.lab.server;

import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import org.datalayerlab.lab.LabConfig;

/**
 * The images the containers backend runs and whether the engine has them. PostgreSQL's image is
 * required (LAB_POSTGRES_IMAGE, default the official postgres:17; containers/build-images makes
 * datalayerlab/postgres:17 where no registry is in reach); Toxiproxy's and Ryuk's are used only
 * when the engine already has them, so a lab never waits on a registry for an extra.
 */
public final class ContainerImages {

    public static final String DEFAULT_POSTGRES = "postgres:17";
    public static final String TOXIPROXY = "ghcr.io/shopify/toxiproxy:2.5.0";

    private ContainerImages() {
    }

    /** LAB_POSTGRES_IMAGE, else the official postgres:17 (read by LabConfig, with every LAB_* variable). */
    public static String postgres(Map<String, String> env) {
        return LabConfig.from(env).postgresImage();
    }

    /** Null if the engine has {@code image} or pulls it within {@code budget}; else why not, in one line. */
    static String ensure(String dockerHost, String image, Duration budget) {
        try {
            if (DockerProbe.hasImage(dockerHost, image)) {
                return null;
            }
        } catch (IOException e) {
            return "the engine did not say whether it has " + image + ": " + e.getMessage();
        }
        String failure = DockerProbe.pull(dockerHost, image, budget);
        return failure == null ? null : image + " is not on the engine and could not be pulled within "
                + budget.toSeconds() + " s (" + failure + ")";
    }

    /** True if the engine has the image now (no pull). */
    public static boolean present(String dockerHost, String image) {
        try {
            return DockerProbe.hasImage(dockerHost, image);
        } catch (IOException e) {
            return false;
        }
    }
}
