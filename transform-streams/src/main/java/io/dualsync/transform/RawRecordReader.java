package io.dualsync.transform;

import io.dualsync.contract.Headers;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.streams.processor.api.Record;

import java.nio.charset.StandardCharsets;

/**
 * Reads a flow's raw records (Avro key and Debezium envelope, as bytes) into {@link RawChange}s,
 * for the processors that read the flow's raw topic. One per processor instance: the registry
 * deserializers it holds are closed with it.
 */
final class RawRecordReader implements AutoCloseable {

    private final String topic;
    private final RawChangeDecoder decoder;
    private final Deserializer<GenericRecord> keys;
    private final Deserializer<GenericRecord> values;

    RawRecordReader(Flow flow, RawChangeDecoder decoder, AvroSerdes serdes) {
        this.topic = flow.rawTopic();
        this.decoder = decoder;
        this.keys = serdes.rawKeyDeserializer();
        this.values = serdes.rawValueDeserializer();
    }

    /** @throws MappingException or a serialization error when the record cannot be read */
    RawChange read(Record<byte[], byte[]> record) {
        return decoder.decode(
                keys.deserialize(topic, record.headers(), record.key()),
                values.deserialize(topic, record.headers(), record.value()),
                readPosition(record));
    }

    /** The position capture stamped on a resync read that has none of its own ({@link Headers#READ_POSITION}). */
    private static Long readPosition(Record<byte[], byte[]> record) {
        Header header = record.headers().lastHeader(Headers.READ_POSITION);
        if (header == null || header.value() == null) {
            return null;
        }
        try {
            return Long.parseLong(new String(header.value(), StandardCharsets.UTF_8));
        } catch (NumberFormatException e) {
            throw new MappingException("header " + Headers.READ_POSITION + " is not a number");
        }
    }

    @Override
    public void close() {
        keys.close();
        values.close();
    }
}
