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
 * @param applicationId what this deployment's Kafka Streams application id and consumer groups
 *                      start with ({@code kafka.applicationId}, default {@value #DEFAULT_APPLICATION_ID}):
 *                      two deployments on one cluster need different ones, or they share state
 *                      stores and consumer offsets
 */
public record KafkaSettings(String bootstrap, Map<String, String> properties,
                            int topicPartitions, short replicationFactor, KafkaSecurity security,
                            String applicationId) {

    public static final String DEFAULT_APPLICATION_ID = "dualsync";

    public KafkaSettings {
        properties = Map.copyOf(properties);
        Objects.requireNonNull(security, "security");
        applicationId = applicationId == null ? DEFAULT_APPLICATION_ID : applicationId;
    }

    /** Settings with the default application id. */
    public KafkaSettings(String bootstrap, Map<String, String> properties, int topicPartitions, short replicationFactor,
                         KafkaSecurity security) {
        this(bootstrap, properties, topicPartitions, replicationFactor, security, DEFAULT_APPLICATION_ID);
    }

    /** Settings without {@code kafka.security}. */
    public KafkaSettings(String bootstrap, Map<String, String> properties, int topicPartitions, short replicationFactor) {
        this(bootstrap, properties, topicPartitions, replicationFactor, KafkaSecurity.NONE);
    }

    /** The Kafka Streams application id of the transform service: {@code <applicationId>-transform}. */
    public String transformApplicationId() {
        return applicationId + "-transform";
    }

    /** The consumer group of the apply service of one target endpoint: {@code <applicationId>-apply-<endpoint>}. */
    public String applyGroupId(String targetEndpoint) {
        return applicationId + "-apply-" + targetEndpoint;
    }
}
