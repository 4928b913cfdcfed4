package io.leadsync.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/** A fresh copy of the repository's routes/ for a test to edit or break, so the real files stay untouched. */
public final class RouteCopies {

    private RouteCopies() {
    }

    /** Empties (or creates) {@code dir} and copies every file of routes/ into it; returns {@code dir}. */
    public static Path freshCopy(Path dir) throws IOException {
        if (Files.isDirectory(dir)) {
            try (Stream<Path> old = Files.list(dir)) {
                for (Path file : old.toList()) {
                    Files.delete(file);
                }
            }
        }
        Files.createDirectories(dir);
        try (Stream<Path> files = Files.list(Path.of("routes"))) {
            for (Path file : files.toList()) {
                Files.copy(file, dir.resolve(file.getFileName()));
            }
        }
        return dir;
    }
}
