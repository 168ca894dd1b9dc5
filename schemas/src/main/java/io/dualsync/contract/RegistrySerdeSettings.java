package io.dualsync.contract;

import io.dualsync.config.RegistrySettings;

import java.util.Map;

/**
 * The Apicurio serde settings every dualsync client uses, so that all topics share one wire
 * format: Confluent's (magic byte + 4-byte content id in the payload, no id headers), which
 * Debezium's Apicurio converter writes on the raw topics and which any registry-aware consumer
 * (Apicurio's, or Confluent's through {@code /apis/ccompat/v7}) reads.
 *
 * <p>All services use Apicurio's 2.6 client line against the registry's v2 API: Debezium's
 * converter exists only in that line, and its classes share names with the 3.x serdes, so the
 * two lines cannot sit on one classpath (the launcher runs every service in one JVM).
 */
public final class RegistrySerdeSettings {

    private RegistrySerdeSettings() {
    }

    /** Settings for an {@code AvroKafkaSerializer} / {@code AvroKafkaDeserializer}. */
    public static Map<String, Object> of(RegistrySettings registry) {
        return Map.of(
                "apicurio.registry.url", registry.v2Api(),
                "apicurio.registry.auto-register", "true",
                "apicurio.registry.as-confluent", "true",
                "apicurio.registry.use-id", "contentId",
                "apicurio.registry.headers.enabled", "false");
    }
}
