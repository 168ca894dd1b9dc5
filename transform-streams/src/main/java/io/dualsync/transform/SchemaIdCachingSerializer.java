package io.dualsync.transform;

import org.apache.avro.Schema;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.serialization.Serializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * An Avro serializer in the Confluent wire format (magic byte 0, 4-byte schema id, Avro binary)
 * that asks the registry serializer only once per topic and schema. Apicurio's 2.6 serializer
 * renders the record's schema to JSON on every record to find its id by content (measured: 15-20 %
 * of the transform's CPU during an initial sync); this one keeps, per topic and schema instance,
 * the 5-byte header the registry serializer wrote for the first record, and encodes later records
 * the way it does ({@code GenericDatumWriter}, binary encoding) behind that header.
 *
 * <p>The first record of each topic and schema is encoded both ways and compared: if the registry
 * serializer's output is not header + plain Avro binary, this schema keeps going through the
 * registry serializer for good. The bytes on the topic are therefore the same either way. Not
 * thread-safe, like a Kafka Streams sink's serializer need not be.
 */
final class SchemaIdCachingSerializer implements Serializer<GenericRecord> {

    private static final Logger log = LoggerFactory.getLogger(SchemaIdCachingSerializer.class);
    private static final int HEADER_LENGTH = 5;
    private static final byte MAGIC_BYTE = 0;
    private static final byte[] NOT_CACHEABLE = new byte[0];

    private final Serializer<GenericRecord> registry;
    private final Map<String, Map<Schema, byte[]>> headers = new ConcurrentHashMap<>();
    private final Map<Schema, GenericDatumWriter<GenericRecord>> writers = new ConcurrentHashMap<>();

    /** @param registry a configured registry serializer writing the Confluent wire format */
    SchemaIdCachingSerializer(Serializer<GenericRecord> registry) {
        this.registry = registry;
    }

    @Override
    public byte[] serialize(String topic, GenericRecord data) {
        return serialize(topic, null, data);
    }

    @Override
    public byte[] serialize(String topic, Headers recordHeaders, GenericRecord data) {
        if (data == null) {
            return null;
        }
        Map<Schema, byte[]> bySchema = headers.computeIfAbsent(topic, t -> new ConcurrentHashMap<>());
        byte[] header = bySchema.get(data.getSchema());
        if (header == null) {
            byte[] bytes = recordHeaders == null ? registry.serialize(topic, data) : registry.serialize(topic, recordHeaders, data);
            bySchema.put(data.getSchema(), headerIfPlain(topic, bytes, data));
            return bytes;
        }
        if (header == NOT_CACHEABLE) {
            return recordHeaders == null ? registry.serialize(topic, data) : registry.serialize(topic, recordHeaders, data);
        }
        return encode(header, data);
    }

    /** The header of {@code bytes} if they are that header followed by our own encoding of the record. */
    private byte[] headerIfPlain(String topic, byte[] bytes, GenericRecord data) {
        if (bytes != null && bytes.length > HEADER_LENGTH && bytes[0] == MAGIC_BYTE) {
            byte[] header = Arrays.copyOf(bytes, HEADER_LENGTH);
            if (Arrays.equals(bytes, encode(header, data))) {
                return header;
            }
        }
        log.warn("topic {}: the registry serializer's output is not magic byte + id + Avro binary; "
                + "every record of this schema goes through it", topic);
        return NOT_CACHEABLE;
    }

    private byte[] encode(byte[] header, GenericRecord data) {
        ByteArrayOutputStream buffer = new ByteArrayOutputStream(256);
        buffer.write(header, 0, header.length);
        BinaryEncoder encoder = EncoderFactory.get().directBinaryEncoder(buffer, null);
        try {
            writers.computeIfAbsent(data.getSchema(), GenericDatumWriter::new).write(data, encoder);
            encoder.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return buffer.toByteArray();
    }

    @Override
    public void close() {
        registry.close();
    }
}
