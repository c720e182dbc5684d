package org.datalayerlab.kernel.engine;

import org.eclipse.aether.RepositorySystem;
import org.eclipse.aether.RepositorySystemSession;
import org.eclipse.aether.artifact.Artifact;
import org.eclipse.aether.artifact.DefaultArtifact;
import org.eclipse.aether.collection.CollectRequest;
import org.eclipse.aether.graph.Dependency;
import org.eclipse.aether.repository.RemoteRepository;
import org.eclipse.aether.resolution.ArtifactResult;
import org.eclipse.aether.resolution.DependencyRequest;
import org.eclipse.aether.resolution.DependencyResolutionException;
import org.eclipse.aether.supplier.RepositorySystemSupplier;
import org.eclipse.aether.supplier.SessionBuilderSupplier;
import org.eclipse.aether.util.filter.DependencyFilterUtils;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * %maven: resolves artifacts and their runtime dependencies from Maven Central with the Maven
 * resolver, caching in the user's local repository (~/.m2/repository, as Maven does).
 */
final class MavenResolver {

    static final String CENTRAL_URL = "https://repo.maven.apache.org/maven2/";

    private final Path localRepository;
    private RepositorySystem system;

    MavenResolver(Path localRepository) {
        this.localRepository = localRepository;
    }

    static MavenResolver forUser() {
        String override = System.getProperty("maven.repo.local");
        Path local = override != null ? Path.of(override)
                : Path.of(System.getProperty("user.home"), ".m2", "repository");
        return new MavenResolver(local);
    }

    /** Jar files of {@code coordinates} (group:artifact[:extension[:classifier]]:version) and its runtime dependencies. */
    synchronized List<Path> resolve(String coordinates) {
        Artifact artifact;
        try {
            artifact = new DefaultArtifact(coordinates);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("'" + coordinates
                    + "' is not a Maven coordinate: write group:artifact:version, e.g. org.apache.commons:commons-text:1.12.0");
        }
        if (system == null) {
            system = new RepositorySystemSupplier().get();
        }
        try (RepositorySystemSession.CloseableSession session = new SessionBuilderSupplier(system).get()
                .withLocalRepositoryBaseDirectories(localRepository)
                .setSystemProperties(System.getProperties())
                .build()) {
            RemoteRepository central = new RemoteRepository.Builder("central", "default", CENTRAL_URL).build();
            CollectRequest collect = new CollectRequest(new Dependency(artifact, "runtime"), List.of(central));
            DependencyRequest request = new DependencyRequest(collect, DependencyFilterUtils.classpathFilter("runtime"));
            List<Path> jars = new ArrayList<>();
            for (ArtifactResult result : system.resolveDependencies(session, request).getArtifactResults()) {
                jars.add(result.getArtifact().getPath());
            }
            return jars;
        } catch (DependencyResolutionException e) {
            throw new IllegalArgumentException("cannot resolve " + coordinates + " from Maven Central ("
                    + CENTRAL_URL + "): " + rootMessage(e)
                    + ". Check the group, artifact and version (search.maven.org lists what exists).");
        }
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t.getMessage() != null ? t.getMessage() : e.getMessage();
    }
}
