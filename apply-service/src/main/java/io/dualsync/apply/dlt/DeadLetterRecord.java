package io.dualsync.apply.dlt;

import io.dualsync.contract.Headers;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One record of a dead-letter topic as an operator sees it: where it sits, its headers as text
 * (design.md, "Dead letters") and its original key and value bytes.
 *
 * @param topic     the dead-letter topic
 * @param partition its partition there
 * @param offset    its offset there
 * @param timestamp when it was written there
 * @param headers   every header as UTF-8 text, in record order (the last of repeated names wins)
 * @param key       the original key bytes
 * @param value     the original value bytes
 */
public record DeadLetterRecord(String topic, int partition, long offset, Instant timestamp, Map<String, String> headers,
                               byte[] key, byte[] value) {

    public DeadLetterRecord {
        headers = Collections.unmodifiableMap(new LinkedHashMap<>(headers));
    }

    public static DeadLetterRecord of(ConsumerRecord<byte[], byte[]> record) {
        Map<String, String> headers = new LinkedHashMap<>();
        for (Header h : record.headers()) {
            headers.remove(h.key());
            headers.put(h.key(), h.value() == null ? null : new String(h.value(), StandardCharsets.UTF_8));
        }
        return new DeadLetterRecord(record.topic(), record.partition(), record.offset(),
                Instant.ofEpochMilli(record.timestamp()), headers, record.key(), record.value());
    }

    public String header(String name) {
        return headers.get(name);
    }

    public String map() {
        return orEmpty(header(Headers.MAP));
    }

    /** {@code permanent}, {@code dependent}, {@code conflict}, {@code undecodable}, or (transform) an exception class. */
    public String errorClass() {
        return orEmpty(header(Headers.ERROR_CLASS));
    }

    public String stage() {
        return orEmpty(header(Headers.STAGE));
    }

    public String sqlState() {
        return orEmpty(header(Headers.SQL_STATE));
    }

    /** The value-free reason the stage gave. */
    public String message() {
        return orEmpty(header(Headers.ERROR_MESSAGE));
    }

    /** When it last failed; the record's timestamp when the header is missing or unreadable. */
    public Instant failedAt() {
        String last = header(Headers.LAST_FAILURE);
        try {
            return last == null ? timestamp : Instant.parse(last);
        } catch (DateTimeParseException e) {
            return timestamp;
        }
    }

    /** The topic it was consumed from before it failed, or {@code null}. */
    public String originalTopic() {
        return header(Headers.ORIGINAL_TOPIC);
    }

    /** Its partition there, or -1 when unknown. */
    public int originalPartition() {
        String p = header(Headers.ORIGINAL_PARTITION);
        try {
            return p == null ? -1 : Integer.parseInt(p);
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    public boolean isConflict() {
        return Headers.ERROR_CLASS_CONFLICT.equals(header(Headers.ERROR_CLASS));
    }

    /** {@code partition:offset}, how the operator names it. */
    public String position() {
        return partition + ":" + offset;
    }

    private static String orEmpty(String s) {
        return s == null ? "" : s;
    }
}
