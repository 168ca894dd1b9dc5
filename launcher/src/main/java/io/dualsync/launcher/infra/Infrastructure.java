package io.dualsync.launcher.infra;

import io.dualsync.config.KafkaSettings;
import io.dualsync.config.RegistrySettings;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * The embedded Kafka broker and schema registry that {@code dualsync demo} and the integration
 * tests run against. {@link #start()} boots both at once (the registry is a separate process,
 * so the two overlap); {@link #close()} stops both.
 *
 * @param kafka    the broker
 * @param registry the schema registry
 */
public record Infrastructure(EmbeddedKafka kafka, EmbeddedRegistry registry) implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(Infrastructure.class);

    /** Starts the broker and the registry; if either fails, the other is stopped again. */
    public static Infrastructure start() {
        // first log line on this thread, so logging is set up before the second thread logs
        log.info("Starting the embedded Kafka broker and Apicurio Registry");
        CompletableFuture<EmbeddedRegistry> registry = CompletableFuture.supplyAsync(EmbeddedRegistry::start);
        EmbeddedKafka kafka;
        try {
            kafka = EmbeddedKafka.start();
        } catch (RuntimeException e) {
            registry.thenAccept(EmbeddedRegistry::close);
            throw e;
        }
        try {
            return new Infrastructure(kafka, registry.join());
        } catch (CompletionException e) {
            kafka.close();
            throw e.getCause() instanceof RuntimeException r ? r : e;
        }
    }

    /** The broker as dualsync's configuration describes it: one partition, replication factor 1. */
    public KafkaSettings kafkaSettings() {
        return new KafkaSettings(kafka.bootstrapServers(), Map.of(), 1, (short) 1);
    }

    public RegistrySettings registrySettings() {
        return registry.settings();
    }

    @Override
    public void close() {
        try {
            registry.close();
        } finally {
            kafka.close();
        }
    }
}
