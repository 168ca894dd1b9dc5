package io.dualsync.capture;

import io.dualsync.config.Endpoint;
import io.dualsync.config.KafkaSettings;
import io.dualsync.config.Secret;
import io.dualsync.config.TableRef;

import java.util.List;
import java.util.Properties;
import java.util.function.Function;

/**
 * What differs between the databases capture-service reads from: the Debezium connector and its
 * database-specific settings, the checks made before the engine starts, and the Kafka topics the
 * connector needs besides the raw and offsets topics. One implementation per database product
 * ({@link PostgresSource}, {@link MariaDbSource}); everything else in the capture path is shared.
 */
public interface SourceConnector {

    /** The implementation for the endpoint's kind. */
    static SourceConnector of(Endpoint endpoint) {
        return switch (endpoint.kind()) {
            case POSTGRES -> new PostgresSource();
            case MARIADB -> new MariaDbSource();
        };
    }

    /**
     * Adds the connector class and the database-specific settings (connection, server id, slot,
     * table filters, schema history) to {@code properties}; the shared settings (topic prefix,
     * value encodings, converters, offsets) are set by {@link DebeziumProperties}.
     *
     * @param tables  the tables to capture, never empty
     * @param secrets how to write a password: its value (embedded engine) or a reference the
     *                reader resolves (Kafka Connect config providers)
     */
    void configure(Properties properties, Endpoint endpoint, List<TableRef> tables, KafkaSettings kafka,
                   Function<Secret, String> secrets);

    /**
     * Checks, before Debezium starts, everything about the database that would otherwise make the
     * connector fail later with a low-level error.
     *
     * @throws CapturePreconditionException naming every unmet condition and how to fix it
     */
    void verify(Endpoint endpoint, List<TableRef> tables);

    /** Creates the Kafka topics the connector itself needs (none by default). */
    default void ensureTopics(KafkaSettings kafka, Endpoint endpoint) {
    }

    /** Where the connector reads from, for the start-up log line, e.g. {@code slot 'x' and publication 'y'}. */
    String describe(Endpoint endpoint);
}
