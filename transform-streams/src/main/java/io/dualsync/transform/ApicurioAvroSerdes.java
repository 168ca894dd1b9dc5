package io.dualsync.transform;

import io.apicurio.registry.serde.avro.AvroKafkaDeserializer;
import io.apicurio.registry.serde.avro.AvroKafkaSerializer;
import io.dualsync.config.RegistrySettings;
import io.dualsync.contract.RegistrySerdeSettings;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serializer;

import java.util.Map;

/**
 * {@link AvroSerdes} backed by the Apicurio Registry, in the Confluent wire format all dualsync
 * topics share ({@link RegistrySerdeSettings}): what Debezium's converter writes to the raw
 * topics and what registry-aware consumers of the mapped topics expect. Mapped schemas are registered on first
 * use under the topic's {@code -key} / {@code -value} artifacts.
 */
public final class ApicurioAvroSerdes implements AvroSerdes {

    private final Map<String, Object> settings;

    public ApicurioAvroSerdes(RegistrySettings registry) {
        this.settings = RegistrySerdeSettings.of(registry);
    }

    @Override
    public Deserializer<GenericRecord> rawKeyDeserializer() {
        return deserializer(true);
    }

    @Override
    public Deserializer<GenericRecord> rawValueDeserializer() {
        return deserializer(false);
    }

    @Override
    public Serializer<GenericRecord> mappedKeySerializer() {
        return serializer(true);
    }

    @Override
    public Serializer<GenericRecord> mappedValueSerializer() {
        return serializer(false);
    }

    private Deserializer<GenericRecord> deserializer(boolean isKey) {
        AvroKafkaDeserializer<GenericRecord> deserializer = new AvroKafkaDeserializer<>();
        deserializer.configure(settings, isKey);
        return deserializer;
    }

    private Serializer<GenericRecord> serializer(boolean isKey) {
        AvroKafkaSerializer<GenericRecord> serializer = new AvroKafkaSerializer<>();
        serializer.configure(settings, isKey);
        // the same bytes, without Apicurio's per-record schema lookup by content
        return new SchemaIdCachingSerializer(serializer);
    }
}
