package org.datalayerlab.lab.server;

import java.util.Map;
import java.util.function.Supplier;
import org.datalayerlab.lab.LabConfig;
import org.datalayerlab.lab.LabException;
import org.datalayerlab.lab.server.containers.ContainersBackend;
import org.datalayerlab.lab.server.embedded.EmbeddedBackend;
import org.datalayerlab.lab.server.external.ExternalBackend;

/**
 * Which backend a lab uses, and why, from LAB_BACKEND (auto | embedded | containers | external):
 * auto takes containers when a Docker engine answers and has (or pulls within a minute) the
 * PostgreSQL image, else embedded; it never waits longer than that.
 *
 * @param backend embedded, containers or external
 * @param reason  one line a learner can read
 */
public record BackendChoice(String backend, String reason) {

    public static BackendChoice fromEnvironment() {
        return decide(LabConfig.current(), () -> DockerProbe.probe(System.getenv()));
    }

    /** The decision, on a given environment and Docker probe (so tests can vary both). */
    public static BackendChoice decide(Map<String, String> env, Supplier<DockerProbe.Result> docker) {
        return decide(LabConfig.from(env), docker);
    }

    public static BackendChoice decide(LabConfig config, Supplier<DockerProbe.Result> docker) {
        String requested = config.backend();
        switch (requested) {
            case "", "auto" -> {
                DockerProbe.Result d = docker.get();
                if (d.ready()) {
                    return new BackendChoice("containers", "LAB_BACKEND=auto, a Docker engine answered at " + d.where()
                            + " and has " + d.image());
                }
                return new BackendChoice("embedded", "LAB_BACKEND=auto and " + (d.reachable()
                        ? "the Docker engine at " + d.where() + " cannot run the lab's servers: " + d.problem()
                        : "no Docker engine answered (" + d.where() + ")") + ": PostgreSQL 17 runs as local processes");
            }
            case "embedded" -> {
                return new BackendChoice("embedded", "LAB_BACKEND=embedded: PostgreSQL 17 runs as local processes");
            }
            case "containers" -> {
                DockerProbe.Result d = docker.get();
                if (!d.reachable()) {
                    throw new LabException("LAB_BACKEND=containers, but no Docker engine answered (" + d.where()
                            + "). Start Docker (or point DOCKER_HOST at it), or use LAB_BACKEND=embedded"
                            + " (or auto) to run PostgreSQL as local processes.");
                }
                if (!d.ready()) {
                    throw new LabException("LAB_BACKEND=containers, but the Docker engine at " + d.where()
                            + " cannot run the lab's servers: " + d.problem() + ". " + (d.imageMissing()
                            ? "Either get the image: docker pull " + d.image() + " (or build the lab's own with"
                                    + " containers/build-images and set LAB_POSTGRES_IMAGE=datalayerlab/postgres:17); or use"
                            : "Either use a Docker Engine running on this machine (Linux, rootful); or use")
                            + " LAB_BACKEND=embedded to run PostgreSQL as local processes.");
                }
                return new BackendChoice("containers", "LAB_BACKEND=containers, a Docker engine answered at " + d.where()
                        + " and has " + d.image());
            }
            case "external" -> {
                String urls = config.externalUrls();
                if (urls == null || urls.isBlank()) {
                    throw new LabException("LAB_BACKEND=external needs LAB_EXTERNAL_URLS: comma-separated JDBC URLs of"
                            + " your servers, the primary first (e.g. jdbc:postgresql://db1:5432/postgres),"
                            + " with LAB_EXTERNAL_USER and LAB_EXTERNAL_PASSWORD.");
                }
                return new BackendChoice("external", "LAB_BACKEND=external: your servers at " + urls.trim());
            }
            default -> throw new LabException("LAB_BACKEND=" + config.backend()
                    + " is not a backend: use auto, embedded, containers or external");
        }
    }

    /** Opens the chosen backend. */
    public Backend open(LabConfig config) {
        return switch (backend) {
            case "embedded" -> new EmbeddedBackend();
            case "external" -> ExternalBackend.from(config);
            // loaded only here, so Testcontainers stays untouched (and silent) on other backends
            case "containers" -> ContainersBackend.open(config);
            default -> throw new IllegalStateException(backend);
        };
    }
}
