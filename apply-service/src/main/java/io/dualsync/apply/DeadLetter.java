package io.dualsync.apply;

import io.dualsync.contract.Headers;
import io.dualsync.contract.Topics;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeaders;

import java.nio.charset.StandardCharsets;
import java.time.Instant;

/**
 * Builds the dead-letter record of a mapped record the apply stage gave up on: the original key and
 * value bytes unchanged, the original headers, and the {@link Headers} error headers (design.md,
 * "Dead letters"), so an operator can see why and replay it after fixing the cause.
 */
public final class DeadLetter {

    public static final String STAGE = "apply";

    private DeadLetter() {
    }

    /**
     * @param endpoint     the target endpoint (names the dead-letter topic)
     * @param map          the map the record belongs to
     * @param original     the record as consumed
     * @param errorClass   the exception class
     * @param sqlState     the SQLSTATE, or {@code null} (no header then)
     * @param message      the reason; may quote row values, which is why it is only ever put here
     * @param attempts     how many times applying it was tried
     * @param firstFailure when it first failed
     * @param lastFailure  when it last failed
     */
    public static ProducerRecord<byte[], byte[]> of(String endpoint, String map, ConsumerRecord<byte[], byte[]> original,
                                                    String errorClass, String sqlState, String message, int attempts,
                                                    Instant firstFailure, Instant lastFailure) {
        return of(endpoint, map, original, errorClass, sqlState, message, attempts, firstFailure, lastFailure, null);
    }

    /**
     * As above, for a conflict too: {@code targetImage} (JSON, see {@link Headers#CONFLICT_TARGET_IMAGE})
     * is the target row's version, or {@code null} for a failure that is not a conflict.
     */
    public static ProducerRecord<byte[], byte[]> of(String endpoint, String map, ConsumerRecord<byte[], byte[]> original,
                                                    String errorClass, String sqlState, String message, int attempts,
                                                    Instant firstFailure, Instant lastFailure, String targetImage) {
        RecordHeaders headers = new RecordHeaders();
        for (Header h : original.headers()) {
            headers.add(h);
        }
        put(headers, Headers.ERROR_CLASS, errorClass);
        put(headers, Headers.ERROR_MESSAGE, message == null ? "" : message);
        put(headers, Headers.SQL_STATE, sqlState);
        put(headers, Headers.STAGE, STAGE);
        put(headers, Headers.ATTEMPTS, Integer.toString(attempts));
        put(headers, Headers.FIRST_FAILURE, firstFailure.toString());
        put(headers, Headers.LAST_FAILURE, lastFailure.toString());
        put(headers, Headers.ORIGINAL_TOPIC, original.topic());
        put(headers, Headers.ORIGINAL_PARTITION, Integer.toString(original.partition()));
        put(headers, Headers.ORIGINAL_OFFSET, Long.toString(original.offset()));
        put(headers, Headers.MAP, map);
        put(headers, Headers.CONFLICT_TARGET_IMAGE, targetImage);
        return new ProducerRecord<>(Topics.deadLetter(endpoint), null, original.key(), original.value(), headers);
    }

    private static void put(RecordHeaders headers, String name, String value) {
        if (value != null) {
            headers.remove(name);
            headers.add(name, value.getBytes(StandardCharsets.UTF_8));
        }
    }
}
