package io.dualsync.config;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The whole validated sync configuration, parsed once from one YAML file by {@link ConfigLoader}.
 * Immutable; every service receives the same instance and derives its own wiring from it.
 *
 * @param source    the file it was read from (named in every later error message)
 * @param kafka     how to reach the Kafka cluster
 * @param registry  how to reach the schema registry
 * @param endpoints the databases, by endpoint name, in file order
 * @param maps      the table maps, in file order
 * @param observability metrics and health port, sync-log retention
 */
public record SyncConfig(Path source, KafkaSettings kafka, RegistrySettings registry,
                         Map<String, Endpoint> endpoints, List<TableMap> maps, ObservabilitySettings observability) {

    /** With the default {@link ObservabilitySettings}. */
    public SyncConfig(Path source, KafkaSettings kafka, RegistrySettings registry,
                      Map<String, Endpoint> endpoints, List<TableMap> maps) {
        this(source, kafka, registry, endpoints, maps, ObservabilitySettings.DEFAULTS);
    }

    public SyncConfig {
        // Map.copyOf would lose the file order the Javadoc promises.
        endpoints = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(endpoints));
        maps = List.copyOf(maps);
    }

    public Endpoint endpoint(String name) {
        Endpoint e = endpoints.get(name);
        if (e == null) {
            throw new IllegalArgumentException("no endpoint named '" + name + "'");
        }
        return e;
    }

    public Optional<TableMap> map(String name) {
        return maps.stream().filter(m -> m.name().equals(name)).findFirst();
    }
}
