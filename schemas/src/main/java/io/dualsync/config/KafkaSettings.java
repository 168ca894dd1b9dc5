package io.dualsync.config;

import java.util.Map;

/**
 * Kafka connection settings.
 *
 * @param bootstrap     bootstrap servers, {@code host:port[,host:port]}
 * @param properties    extra client properties passed to every producer, consumer, admin and
 *                      Streams client unchanged (security settings, for example)
 * @param topicPartitions partitions of the topics dualsync creates
 * @param replicationFactor replication factor of the topics dualsync creates
 */
public record KafkaSettings(String bootstrap, Map<String, String> properties,
                            int topicPartitions, short replicationFactor) {
    public KafkaSettings {
        properties = Map.copyOf(properties);
    }
}
