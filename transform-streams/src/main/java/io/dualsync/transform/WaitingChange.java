package io.dualsync.transform;

import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;

import java.util.ArrayList;
import java.util.List;

/**
 * A raw change that waits for its parent's coupling (store {@code <flow>.waiting}, keyed by the
 * source row key): the record as it arrived, where it came from (for the dead-letter headers),
 * and until when it may wait (epoch milliseconds). A later change of the same row replaces the
 * record but keeps the deadline, so a busy row cannot wait for ever.
 */
record WaitingChange(byte[] key, byte[] value, long timestamp, List<HeaderValue> headers,
                     String topic, int partition, long offset, long deadline) {

    /** One record header (JSON has no Kafka header type). */
    record HeaderValue(String name, byte[] value) {
    }

    static WaitingChange of(Record<byte[], byte[]> record, RecordMetadata origin, long deadline) {
        List<HeaderValue> headers = new ArrayList<>();
        for (Header h : record.headers()) {
            headers.add(new HeaderValue(h.key(), h.value()));
        }
        return new WaitingChange(record.key(), record.value(), record.timestamp(), headers,
                origin.topic(), origin.partition(), origin.offset(), deadline);
    }

    /** A later change of the same row, waiting until this one's deadline. */
    WaitingChange replacedBy(Record<byte[], byte[]> record, RecordMetadata origin) {
        return of(record, origin, deadline);
    }

    Record<byte[], byte[]> record() {
        RecordHeaders h = new RecordHeaders();
        headers.forEach(v -> h.add(v.name(), v.value()));
        return new Record<>(key, value, timestamp, h);
    }

    RecordMetadata origin() {
        return new Origin(topic, partition, offset);
    }

    private record Origin(String topic, int partition, long offset) implements RecordMetadata {
    }
}
