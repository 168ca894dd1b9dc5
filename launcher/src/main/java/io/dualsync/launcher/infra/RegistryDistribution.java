package io.dualsync.launcher.infra;

import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.CodeSource;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The Apicurio Registry server distribution (a Quarkus fast-jar tarball from Maven Central):
 * finds the tarball the build fetched and unpacks it once into a cache directory. The unpack
 * goes to a temporary directory that is then renamed into place, so an interrupted or
 * concurrent unpack never leaves a half-filled cache behind.
 */
final class RegistryDistribution {

    static final String VERSION = "3.3.3";
    static final String TARBALL = "apicurio-registry-app-" + VERSION + "-all.tar.gz";
    /** System property naming the tarball explicitly. */
    static final String DIST_PROPERTY = "dualsync.registry.dist";

    private static final Logger log = LoggerFactory.getLogger(RegistryDistribution.class);

    private RegistryDistribution() {
    }

    /** The {@code quarkus-run.jar} of the unpacked distribution, unpacking it first if needed. */
    static Path quarkusRunJar() {
        Path cache = Path.of(System.getProperty("user.home"), ".cache", "dualsync", "apicurio-registry-" + VERSION);
        Path unpacked = unpackOnce(locateTarball(), cache);
        return findQuarkusRunJar(unpacked);
    }

    /**
     * The tarball: the {@value #DIST_PROPERTY} system property if set; else the {@code registry}
     * directory beside the launcher classes (where the launcher build copies it); else the local
     * Maven repository.
     */
    static Path locateTarball() {
        String explicit = System.getProperty(DIST_PROPERTY);
        if (explicit != null && !explicit.isBlank()) {
            Path path = Path.of(explicit);
            if (!Files.isRegularFile(path)) {
                throw new IllegalStateException("-D" + DIST_PROPERTY + " names " + path + ", which is not a file");
            }
            return path;
        }
        List<Path> candidates = new ArrayList<>();
        besideLauncherClasses().ifPresent(candidates::add);
        candidates.add(localMavenRepository()
                .resolve("io/apicurio/apicurio-registry-app/" + VERSION + "/" + TARBALL));
        return candidates.stream().filter(Files::isRegularFile).findFirst()
                .orElseThrow(() -> new IllegalStateException("Apicurio Registry distribution " + TARBALL
                        + " not found; looked at " + candidates + ". Build the launcher module "
                        + "(mvn -pl launcher -am package) or pass -D" + DIST_PROPERTY + "=<path>"));
    }

    /** {@code <code-source>/../registry/<tarball>}: fits both target/classes and target/*.jar. */
    private static Optional<Path> besideLauncherClasses() {
        try {
            CodeSource source = RegistryDistribution.class.getProtectionDomain().getCodeSource();
            if (source == null || source.getLocation() == null) {
                return Optional.empty();
            }
            Path classes = Path.of(source.getLocation().toURI());
            return Optional.ofNullable(classes.getParent()).map(dir -> dir.resolve("registry").resolve(TARBALL));
        } catch (URISyntaxException | IllegalArgumentException | SecurityException e) {
            return Optional.empty();
        }
    }

    private static Path localMavenRepository() {
        String configured = System.getProperty("maven.repo.local");
        if (configured != null && !configured.isBlank()) {
            return Path.of(configured);
        }
        return Path.of(System.getProperty("user.home"), ".m2", "repository");
    }

    /** Unpacks {@code tarball} into {@code target} unless {@code target} already exists. */
    static Path unpackOnce(Path tarball, Path target) {
        if (Files.isDirectory(target)) {
            return target;
        }
        long started = System.nanoTime();
        Path staging = null;
        try {
            Files.createDirectories(target.getParent());
            staging = Files.createTempDirectory(target.getParent(), "." + target.getFileName() + ".unpacking-");
            extract(tarball, staging);
            try {
                Files.move(staging, target, StandardCopyOption.ATOMIC_MOVE);
            } catch (FileAlreadyExistsException | DirectoryNotEmptyException e) {
                // another process finished the same unpack first: use theirs
                Directories.delete(staging);
            } catch (AtomicMoveNotSupportedException e) {
                throw new IllegalStateException("cannot rename " + staging + " atomically to " + target, e);
            }
            staging = null;
            log.info("Unpacked {} into {} in {}", tarball.getFileName(), target, Durations.since(started));
            return target;
        } catch (IOException e) {
            throw new UncheckedIOException("could not unpack " + tarball + " into " + target, e);
        } finally {
            if (staging != null) {
                Directories.deleteQuietly(staging);
            }
        }
    }

    private static void extract(Path tarball, Path into) throws IOException {
        Path root = into.toAbsolutePath().normalize();
        try (InputStream file = Files.newInputStream(tarball);
             TarArchiveInputStream tar = new TarArchiveInputStream(
                     new GzipCompressorInputStream(new BufferedInputStream(file, 1 << 16)))) {
            TarArchiveEntry entry;
            while ((entry = tar.getNextEntry()) != null) {
                Path out = root.resolve(entry.getName()).normalize();
                if (!out.startsWith(root)) {
                    throw new IOException("archive entry escapes the target directory: " + entry.getName());
                }
                if (entry.isDirectory()) {
                    Files.createDirectories(out);
                } else if (entry.isFile()) {
                    Files.createDirectories(out.getParent());
                    Files.copy(tar, out, StandardCopyOption.REPLACE_EXISTING);
                }
                // links and special files: the distribution has none we need
            }
        }
    }

    static Path findQuarkusRunJar(Path unpacked) {
        try (Stream<Path> files = Files.walk(unpacked, 3)) {
            return files.filter(p -> p.getFileName().toString().equals("quarkus-run.jar"))
                    .min(Comparator.comparingInt(Path::getNameCount))
                    .orElseThrow(() -> new IllegalStateException("no quarkus-run.jar in " + unpacked
                            + "; delete that directory to unpack the distribution again"));
        } catch (IOException e) {
            throw new UncheckedIOException("could not search " + unpacked, e);
        }
    }
}
