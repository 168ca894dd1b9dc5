package io.dualsync.apply;

import io.apicurio.registry.serde.avro.AvroKafkaDeserializer;
import io.dualsync.config.RegistrySettings;
import io.dualsync.contract.MappedChange;
import io.dualsync.contract.MappedChangeCodec;
import io.dualsync.contract.RegistrySerdeSettings;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns a mapped record's value bytes into a {@link MappedChange}: the Apicurio Avro deserializer
 * (Confluent wire format, schema fetched from the registry by id) gives a {@link GenericRecord} in
 * the writer's schema, and the topic's {@link MappedChangeCodec} reads it by field name.
 */
final class ChangeDecoder implements AutoCloseable {

    private final AvroKafkaDeserializer<GenericRecord> deserializer = new AvroKafkaDeserializer<>();
    private final Map<String, MappedChangeCodec> codecs = new HashMap<>();

    ChangeDecoder(RegistrySettings registry, List<MappedTopic> topics) {
        deserializer.configure(RegistrySerdeSettings.of(registry), false);
        topics.forEach(t -> codecs.put(t.topic(), t.columns().codec()));
    }

    /** @throws RuntimeException when the bytes are not a mapped change this service can read */
    MappedChange decode(ConsumerRecord<byte[], byte[]> record) {
        return decode(record.topic(), record);
    }

    /** As {@link #decode(ConsumerRecord)}, for a record that was first on mapped topic {@code topic} (a retry). */
    MappedChange decode(String topic, ConsumerRecord<byte[], byte[]> record) {
        MappedChangeCodec codec = codecs.get(topic);
        if (codec == null) {
            throw new IllegalArgumentException("topic " + topic + " is not a mapped topic of this service");
        }
        if (record.value() == null) {
            throw new IllegalArgumentException("record has no value");
        }
        GenericRecord value = deserializer.deserialize(topic, record.headers(), record.value());
        return codec.decodeValue(value);
    }

    @Override
    public void close() {
        deserializer.close();
    }
}
