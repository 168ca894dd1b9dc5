package io.dualsync.transform;

import io.dualsync.config.SyncConfig;
import io.dualsync.contract.KafkaClients;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsConfig;

import java.nio.file.Path;
import java.util.Properties;

/**
 * The Kafka Streams settings of the transform: exactly-once (v2) so a mapped record, its links
 * store update and the input offset commit together; a 100 ms commit interval so changes reach
 * the apply service promptly; internal topics with the configured replication factor; byte-array
 * default serdes (every node names its own). The user's Kafka client properties (security, for
 * example) come first; these settings win over them because the transform's guarantees depend
 * on them.
 */
public final class TransformStreamsConfig {

    static final int COMMIT_INTERVAL_MS = 100;

    private TransformStreamsConfig() {
    }

    public static Properties streamsProperties(SyncConfig config, String applicationId, Path stateDir) {
        Properties props = new Properties();
        props.putAll(KafkaClients.common(config.kafka()));
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, applicationId);
        props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        props.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, COMMIT_INTERVAL_MS);
        props.put(StreamsConfig.REPLICATION_FACTOR_CONFIG, (int) config.kafka().replicationFactor());
        props.put(StreamsConfig.DEFAULT_KEY_SERDE_CLASS_CONFIG, Serdes.ByteArraySerde.class);
        props.put(StreamsConfig.DEFAULT_VALUE_SERDE_CLASS_CONFIG, Serdes.ByteArraySerde.class);
        return props;
    }
}
