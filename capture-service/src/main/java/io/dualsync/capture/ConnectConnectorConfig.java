package io.dualsync.capture;

import io.dualsync.config.Endpoint;
import io.dualsync.config.Secret;
import io.dualsync.config.SyncConfig;
import io.dualsync.contract.BookkeepingTables;
import io.dualsync.contract.Topics;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The Debezium source connector configuration of one endpoint for a Kafka Connect cluster (Kafka
 * Connect mode): the connector settings the embedded engine runs ({@link DebeziumProperties#connector}),
 * plus what Connect needs to write the same raw records: Apicurio's Avro converter for key and value
 * with the settings of every dualsync client, the {@link OriginTagging} transform, string headers,
 * topic creation sized like the embedded engine's topics, and the embedded engine's offsets topic,
 * so that an endpoint moved between the two modes resumes where it stopped (both key the offsets by
 * the name {@link DebeziumProperties#engineName}).
 *
 * <p>Passwords are never written: each is a config provider reference ({@link Secret#connectReference()})
 * that the Connect workers resolve, which needs {@code config.providers=env,dir} in the worker
 * configuration (README, "Kafka Connect mode").
 */
public final class ConnectConnectorConfig {

    static final String SIMPLE_HEADER_CONVERTER = "org.apache.kafka.connect.storage.SimpleHeaderConverter";
    static final String TRANSFORM = "dualsync";

    private ConnectConnectorConfig() {
    }

    /** The connector's name on the Connect cluster: the embedded engine's name. */
    public static String name(Endpoint endpoint) {
        return DebeziumProperties.engineName(endpoint);
    }

    /**
     * The connector configuration, sorted by key, as Connect's REST API takes it
     * ({@code PUT /connectors/<name>/config}).
     *
     * @param signaling whether the endpoint has its signaling table (resync by incremental snapshot)
     * @throws IllegalArgumentException when no map uses the endpoint, or a password was not given as
     *                                  {@code passwordEnv} / {@code passwordFile}
     */
    public static SortedMap<String, String> of(SyncConfig config, Endpoint endpoint, CaptureOptions options, boolean signaling) {
        SortedMap<String, String> c = new TreeMap<>();
        DebeziumProperties.connector(config, endpoint, options, signaling, ConnectConnectorConfig::reference)
                .forEach((k, v) -> c.put((String) k, (String) v));
        c.put("tasks.max", "1"); // a database log has one reader
        c.put("key.converter", DebeziumProperties.APICURIO_AVRO_CONVERTER);
        c.put("value.converter", DebeziumProperties.APICURIO_AVRO_CONVERTER);
        c.put("header.converter", SIMPLE_HEADER_CONVERTER);

        c.put("transforms", TRANSFORM);
        c.put("transforms." + TRANSFORM + ".type", OriginTagging.class.getName());
        CapturedTables.checkpoint(config, endpoint.name())
                .ifPresent(t -> c.put("transforms." + TRANSFORM + "." + OriginTagging.CHECKPOINT_TOPIC, Topics.raw(t)));
        if (signaling) {
            c.put("transforms." + TRANSFORM + "." + OriginTagging.SIGNAL_TOPIC, Topics.raw(BookkeepingTables.signal(endpoint)));
        }

        // KIP-618: a source connector may keep its offsets in a topic of its own
        c.put("offsets.storage.topic", Topics.captureOffsets(endpoint.name()));
        // KIP-158: Connect creates missing raw topics as capture-service does (KafkaClients.ensureTopics)
        c.put("topic.creation.default.partitions", Integer.toString(config.kafka().topicPartitions()));
        c.put("topic.creation.default.replication.factor", Short.toString(config.kafka().replicationFactor()));
        return c;
    }

    private static String reference(Secret secret) {
        String reference = secret.connectReference().orElseThrow(() -> new IllegalArgumentException("the secret " + secret
                + " cannot be referenced from a Kafka Connect worker: give it with an ...Env key (an environment variable,"
                + " e.g. passwordEnv) or a ...File key (a file, e.g. passwordFile) that the workers have too"));
        secret.file().ifPresent(ConnectConnectorConfig::requireNoLineBreakAtEnd);
        return reference;
    }

    /**
     * dualsync drops a secret file's trailing line break, Connect's DirectoryConfigProvider does not:
     * the worker would log in with a different password. Refused here rather than found there.
     */
    private static void requireNoLineBreakAtEnd(Path file) {
        try {
            byte[] content = Files.readAllBytes(file);
            if (content.length > 0 && content[content.length - 1] == '\n') {
                throw new IllegalArgumentException("secret file " + file + " ends with a line break, which Kafka Connect's"
                        + " DirectoryConfigProvider would pass on as part of the secret. Fix: write it without one"
                        + " (printf '%s' \"$PASSWORD\" > " + file.getFileName() + "; a Kubernetes Secret mounted as files has none)");
            }
        } catch (IOException e) {
            // not readable here (read on another machine): the workers' copy is what counts
        }
    }
}
