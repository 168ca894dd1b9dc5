package io.dualsync.capture;

import io.dualsync.config.KafkaSettings;
import io.dualsync.contract.KafkaClients;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;

import java.util.Map;

/**
 * The producer that writes already-serialized change events to the raw topics: {@code acks=all}
 * and idempotence on, so an acknowledged change is durable, and a retried send neither
 * duplicates nor reorders records within a partition.
 */
public final class CaptureProducer {

    private CaptureProducer() {
    }

    public static Producer<byte[], byte[]> create(KafkaSettings kafka, String endpoint) {
        Map<String, Object> props = KafkaClients.common(kafka);
        props.put(ProducerConfig.CLIENT_ID_CONFIG, "dualsync-capture-" + endpoint);
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        return new KafkaProducer<>(props);
    }
}
