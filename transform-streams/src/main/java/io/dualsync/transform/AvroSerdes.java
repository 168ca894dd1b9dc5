package io.dualsync.transform;

import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Where the topology gets its Avro (de)serializers: readers for the keys and values of raw
 * Debezium topics and writers for the keys and values of mapped topics, all in the Confluent
 * wire format. Every call returns a new, already configured instance, so each processor can own
 * its reader; the production implementation is {@link ApicurioAvroSerdes}, unit tests use an
 * in-memory registry.
 */
public interface AvroSerdes {

    Deserializer<GenericRecord> rawKeyDeserializer();

    Deserializer<GenericRecord> rawValueDeserializer();

    Serializer<GenericRecord> mappedKeySerializer();

    Serializer<GenericRecord> mappedValueSerializer();
}
