package io.dualsync.config;

import java.util.Map;
import java.util.Objects;

/**
 * Kafka connection settings.
 *
 * @param bootstrap     bootstrap servers, {@code host:port[,host:port]}
 * @param properties    extra client properties passed to every producer, consumer, admin and
 *                      Streams client unchanged (tuning, for example)
 * @param topicPartitions partitions of the topics dualsync creates
 * @param replicationFactor replication factor of the topics dualsync creates
 * @param security      TLS and SASL settings of every client ({@code kafka.security});
 *                      {@link KafkaSecurity#NONE} when the config has none
 */
public record KafkaSettings(String bootstrap, Map<String, String> properties,
                            int topicPartitions, short replicationFactor, KafkaSecurity security) {
    public KafkaSettings {
        properties = Map.copyOf(properties);
        Objects.requireNonNull(security, "security");
    }

    /** Settings without {@code kafka.security}. */
    public KafkaSettings(String bootstrap, Map<String, String> properties, int topicPartitions, short replicationFactor) {
        this(bootstrap, properties, topicPartitions, replicationFactor, KafkaSecurity.NONE);
    }
}
