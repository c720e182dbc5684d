package org.datalayerlab.lab.server;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.function.Predicate;
import org.datalayerlab.lab.LabException;

/** Small file helpers the embedded backend needs. */
public final class Files2 {

    private Files2() {
    }

    /** Deletes a tree; files that vanish meanwhile are fine. */
    public static void deleteTree(Path root) {
        if (!Files.exists(root, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try {
            Files.walkFileTree(root, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                    Files.deleteIfExists(file);
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFileFailed(Path file, IOException e) {
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult postVisitDirectory(Path dir, IOException e) throws IOException {
                    Files.deleteIfExists(dir);
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            throw new LabException("could not delete " + root + ": " + e.getMessage(), e);
        }
    }

    /**
     * Copies a tree keeping modes and owners (a server's data directory belongs to the user
     * the server runs as). Files for which {@code skip} says true are left out; files that vanish
     * during the copy (a running server removes temporary files) are skipped.
     */
    public static void copyTree(Path from, Path to, Predicate<Path> skip) {
        try {
            Files.walkFileTree(from, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) throws IOException {
                    Path rel = from.relativize(dir);
                    if (!rel.toString().isEmpty() && skip.test(rel)) {
                        return FileVisitResult.SKIP_SUBTREE;
                    }
                    try {
                        Files.copy(dir, to.resolve(rel.toString()), StandardCopyOption.COPY_ATTRIBUTES);
                    } catch (java.nio.file.FileAlreadyExistsException e) {
                        // the target root may exist already
                    } catch (NoSuchFileException e) {
                        return FileVisitResult.SKIP_SUBTREE;
                    }
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                    Path rel = from.relativize(file);
                    if (skip.test(rel)) {
                        return FileVisitResult.CONTINUE;
                    }
                    try {
                        Files.copy(file, to.resolve(rel.toString()), StandardCopyOption.COPY_ATTRIBUTES,
                                java.nio.file.LinkOption.NOFOLLOW_LINKS);
                    } catch (NoSuchFileException e) {
                        // removed by the running server while we copied: not needed
                    }
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFileFailed(Path file, IOException e) throws IOException {
                    if (e instanceof NoSuchFileException) {
                        return FileVisitResult.CONTINUE;
                    }
                    throw e;
                }
            });
        } catch (IOException e) {
            throw new LabException("could not copy " + from + " to " + to + ": " + e.getMessage(), e);
        }
    }

    /** Creates a directory others may enter (the server's OS user must reach its data directory). */
    public static Path mkdirs(Path dir) {
        try {
            Files.createDirectories(dir);
            Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
            return dir;
        } catch (IOException e) {
            throw new LabException("could not create " + dir + ": " + e.getMessage(), e);
        }
    }

    public static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            return "";
        }
    }

    public static void write(Path file, String text) {
        try {
            Files.writeString(file, text);
        } catch (IOException e) {
            throw new LabException("could not write " + file + ": " + e.getMessage(), e);
        }
    }

    /** The last lines of a log file, for error messages. */
    public static String tail(Path file, int lines) {
        String[] all = read(file).split("\n");
        StringBuilder b = new StringBuilder();
        for (int i = Math.max(0, all.length - lines); i < all.length; i++) {
            b.append("    ").append(all[i]).append('\n');
        }
        return b.toString();
    }
}
