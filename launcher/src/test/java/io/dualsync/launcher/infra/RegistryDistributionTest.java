package io.dualsync.launcher.infra;

import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RegistryDistributionTest {

    @TempDir
    Path dir;

    @Test
    void shouldUnpackTheTarballAndFindQuarkusRunJar() throws IOException {
        Path tarball = tarball(Map.of("quarkus-run.jar", "run", "lib/main/a.jar", "a"));

        Path unpacked = RegistryDistribution.unpackOnce(tarball, dir.resolve("cache/registry"));

        assertThat(RegistryDistribution.findQuarkusRunJar(unpacked)).hasContent("run");
        assertThat(unpacked.resolve("lib/main/a.jar")).hasContent("a");
        try (var leftovers = Files.list(dir.resolve("cache"))) {
            assertThat(leftovers).as("no staging directory left behind").containsExactly(unpacked);
        }
    }

    @Test
    void shouldReuseAnExistingUnpackWithoutReadingTheTarballAgain() throws IOException {
        Path target = dir.resolve("cache/registry");
        RegistryDistribution.unpackOnce(tarball(Map.of("quarkus-run.jar", "first")), target);

        Path unpacked = RegistryDistribution.unpackOnce(dir.resolve("no-such.tar.gz"), target);

        assertThat(unpacked.resolve("quarkus-run.jar")).hasContent("first");
    }

    @Test
    void shouldRefuseAnEntryThatEscapesTheTargetDirectory() throws IOException {
        Path tarball = tarball(Map.of("../evil.txt", "x"));

        assertThatThrownBy(() -> RegistryDistribution.unpackOnce(tarball, dir.resolve("cache/registry")))
                .hasRootCauseMessage("archive entry escapes the target directory: ../evil.txt");
        assertThat(dir.resolve("cache/evil.txt")).doesNotExist();
        assertThat(dir.resolve("cache/registry")).doesNotExist();
    }

    @Test
    void shouldTakeTheTarballNamedBySystemProperty() throws IOException {
        Path tarball = tarball(Map.of("quarkus-run.jar", "run"));
        String before = System.getProperty(RegistryDistribution.DIST_PROPERTY);
        System.setProperty(RegistryDistribution.DIST_PROPERTY, tarball.toString());
        try {
            assertThat(RegistryDistribution.locateTarball()).isEqualTo(tarball);
        } finally {
            if (before == null) {
                System.clearProperty(RegistryDistribution.DIST_PROPERTY);
            } else {
                System.setProperty(RegistryDistribution.DIST_PROPERTY, before);
            }
        }
    }

    private Path tarball(Map<String, String> files) throws IOException {
        Path tarball = Files.createTempFile(dir, "dist", ".tar.gz");
        try (OutputStream out = Files.newOutputStream(tarball);
             TarArchiveOutputStream tar = new TarArchiveOutputStream(new GzipCompressorOutputStream(out))) {
            for (var file : files.entrySet()) {
                byte[] content = file.getValue().getBytes(StandardCharsets.UTF_8);
                TarArchiveEntry entry = new TarArchiveEntry(file.getKey(), true);
                entry.setSize(content.length);
                tar.putArchiveEntry(entry);
                tar.write(content);
                tar.closeArchiveEntry();
            }
        }
        return tarball;
    }
}
