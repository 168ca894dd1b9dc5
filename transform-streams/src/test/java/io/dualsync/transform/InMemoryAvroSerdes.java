package io.dualsync.transform;

import org.apache.avro.Schema;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serializer;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * {@link AvroSerdes} for unit tests, which have no registry: Avro binary behind the Confluent
 * 5-byte prefix (magic byte 0, 4-byte schema id), schemas kept in an in-memory map by id. The
 * real Apicurio serdes are exercised by the integration tests.
 */
final class InMemoryAvroSerdes implements AvroSerdes {

    private static final byte MAGIC = 0;

    private final Map<Integer, Schema> schemasById = new ConcurrentHashMap<>();
    private final Map<Schema, Integer> idsBySchema = new ConcurrentHashMap<>();
    private final AtomicInteger nextId = new AtomicInteger(1);

    Serializer<GenericRecord> serializer() {
        return (topic, record) -> record == null ? null : write(record);
    }

    Deserializer<GenericRecord> deserializer() {
        return (topic, bytes) -> bytes == null ? null : read(bytes);
    }

    @Override
    public Deserializer<GenericRecord> rawKeyDeserializer() {
        return deserializer();
    }

    @Override
    public Deserializer<GenericRecord> rawValueDeserializer() {
        return deserializer();
    }

    @Override
    public Serializer<GenericRecord> mappedKeySerializer() {
        return serializer();
    }

    @Override
    public Serializer<GenericRecord> mappedValueSerializer() {
        return serializer();
    }

    private byte[] write(GenericRecord record) {
        int id = idsBySchema.computeIfAbsent(record.getSchema(), s -> {
            int assigned = nextId.getAndIncrement();
            schemasById.put(assigned, s);
            return assigned;
        });
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            out.write(MAGIC);
            out.write(ByteBuffer.allocate(4).putInt(id).array());
            BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(out, null);
            new GenericDatumWriter<GenericRecord>(record.getSchema()).write(record, encoder);
            encoder.flush();
            return out.toByteArray();
        } catch (IOException e) {
            throw new SerializationException("could not write Avro", e);
        }
    }

    private GenericRecord read(byte[] bytes) {
        ByteBuffer buffer = ByteBuffer.wrap(bytes);
        if (bytes.length < 5 || buffer.get() != MAGIC) {
            throw new SerializationException("not in the Confluent wire format: no magic byte");
        }
        Schema schema = schemasById.get(buffer.getInt());
        if (schema == null) {
            throw new SerializationException("unknown schema id");
        }
        try {
            return new GenericDatumReader<GenericRecord>(schema).read(null,
                    DecoderFactory.get().binaryDecoder(bytes, 5, bytes.length - 5, null));
        } catch (IOException | RuntimeException e) {
            throw new SerializationException("could not read Avro", e);
        }
    }
}
