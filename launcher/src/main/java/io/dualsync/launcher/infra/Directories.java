package io.dualsync.launcher.infra;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/** Deletes the temporary directories the embedded servers work in. */
final class Directories {

    private static final Logger log = LoggerFactory.getLogger(Directories.class);

    private Directories() {
    }

    /** Deletes {@code dir} and everything in it; a missing directory is fine. */
    static void delete(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    /** As {@link #delete(Path)}, but only logs a failure: used on the way out. */
    static void deleteQuietly(Path dir) {
        try {
            delete(dir);
        } catch (IOException e) {
            log.warn("could not delete {}: {}", dir, e.toString());
        }
    }
}
