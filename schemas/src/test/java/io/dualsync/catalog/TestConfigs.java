package io.dualsync.catalog;

import io.dualsync.config.ConfigLoader;
import io.dualsync.config.SyncConfig;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/** Writes a config with endpoints crm and erp on one test database (schemas crm and erp) plus the given maps. */
final class TestConfigs {

    private TestConfigs() {
    }

    static SyncConfig config(Path dir, String jdbcUrl, String maps) {
        String yaml = """
                kafka: { bootstrap: localhost:9092 }
                registry: { url: http://localhost:8080 }
                endpoints:
                  crm: { kind: postgres, url: "%s", user: postgres }
                  erp: { kind: postgres, url: "%s", user: postgres }
                maps:
                %s""".formatted(jdbcUrl, jdbcUrl, maps.indent(2));
        try {
            Path file = Files.createTempFile(dir, "sync", ".yaml");
            Files.writeString(file, yaml);
            return ConfigLoader.load(file, Map.of());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
