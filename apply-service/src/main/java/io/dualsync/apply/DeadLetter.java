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
 * Builds the records of a mapped record the apply stage could not apply: its dead letter for
 * {@code dualsync.dlt.<target>}, or its next try for {@code dualsync.retry.<target>}. Both keep the
 * original key and value bytes and headers unchanged and add the {@link Headers} error headers
 * (design.md, "Dead letters"): class, exception, SQLSTATE, value-free message, attempt count, first
 * and last failure time, map, and where the change first came from. A record that already went
 * through the retry topic keeps the origin, first failure time and attempt count it collected there,
 * so its dead letter tells the whole story.
 */
public final class DeadLetter {

    public static final String STAGE = "apply";

    /**
     * Why a change failed.
     *
     * @param errorClass   {@link Headers#ERROR_CLASS}: permanent, dependent, conflict or undecodable
     * @param exception    the Java exception class behind it, {@code null} for a conflict
     * @param sqlState     the SQLSTATE, or {@code null} (no header then)
     * @param message      the reason, without row values ({@link SafeMessage})
     * @param attempts     how many times applying it was tried in this pass
     * @param firstFailure when it first failed in this pass
     * @param lastFailure  when it last failed
     * @param targetImage  for a conflict, the target row's version (JSON); {@code null} otherwise
     */
    public record Failure(String errorClass, String exception, String sqlState, String message, int attempts,
                          Instant firstFailure, Instant lastFailure, String targetImage) {
    }

    private DeadLetter() {
    }

    /** The dead letter of {@code original} (a mapped record, or a record of the retry topic). */
    public static ProducerRecord<byte[], byte[]> of(String endpoint, String map, ConsumerRecord<byte[], byte[]> original,
                                                    Failure failure) {
        RecordHeaders headers = headers(endpoint, map, original, failure);
        headers.remove(Headers.RETRY_DUE);
        return new ProducerRecord<>(Topics.deadLetter(endpoint), null, original.key(), original.value(), headers);
    }

    /**
     * The next try of {@code original} on the retry topic, due at {@code due}: keyed as the
     * original, so the changes of one row share a retry partition and keep their order there.
     */
    public static ProducerRecord<byte[], byte[]> retry(String endpoint, String map, ConsumerRecord<byte[], byte[]> original,
                                                       Failure failure, Instant due) {
        RecordHeaders headers = headers(endpoint, map, original, failure);
        put(headers, Headers.RETRY_COUNT, Integer.toString(retries(original) + 1));
        put(headers, Headers.RETRY_DUE, due.toString());
        return new ProducerRecord<>(Topics.retry(endpoint), null, original.key(), original.value(), headers);
    }

    /** How many times the record went through the retry topic already (0 for a mapped record). */
    public static int retries(ConsumerRecord<byte[], byte[]> record) {
        String count = header(record, Headers.RETRY_COUNT);
        return count == null ? 0 : Integer.parseInt(count);
    }

    /** The header's value as text, {@code null} when absent. */
    public static String header(ConsumerRecord<byte[], byte[]> record, String name) {
        Header h = record.headers().lastHeader(name);
        return h == null || h.value() == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }

    private static RecordHeaders headers(String endpoint, String map, ConsumerRecord<byte[], byte[]> original,
                                         Failure failure) {
        boolean retried = original.topic().equals(Topics.retry(endpoint));
        int earlierAttempts = retried && header(original, Headers.ATTEMPTS) != null
                ? Integer.parseInt(header(original, Headers.ATTEMPTS)) : 0;
        String firstFailure = retried && header(original, Headers.FIRST_FAILURE) != null
                ? header(original, Headers.FIRST_FAILURE) : failure.firstFailure().toString();
        RecordHeaders headers = new RecordHeaders();
        for (Header h : original.headers()) {
            headers.add(h);
        }
        put(headers, Headers.ERROR_CLASS, failure.errorClass());
        headers.remove(Headers.ERROR_EXCEPTION);
        put(headers, Headers.ERROR_EXCEPTION, failure.exception());
        put(headers, Headers.ERROR_MESSAGE, failure.message() == null ? "" : failure.message());
        headers.remove(Headers.SQL_STATE);
        put(headers, Headers.SQL_STATE, failure.sqlState());
        put(headers, Headers.STAGE, STAGE);
        put(headers, Headers.ATTEMPTS, Integer.toString(earlierAttempts + failure.attempts()));
        put(headers, Headers.FIRST_FAILURE, firstFailure);
        put(headers, Headers.LAST_FAILURE, failure.lastFailure().toString());
        if (!retried) {
            put(headers, Headers.ORIGINAL_TOPIC, original.topic());
            put(headers, Headers.ORIGINAL_PARTITION, Integer.toString(original.partition()));
            put(headers, Headers.ORIGINAL_OFFSET, Long.toString(original.offset()));
        }
        put(headers, Headers.MAP, map);
        headers.remove(Headers.CONFLICT_TARGET_IMAGE);
        put(headers, Headers.CONFLICT_TARGET_IMAGE, failure.targetImage());
        // a replayed record's decision was spent on this try
        headers.remove(Headers.REPLAY_DECISION);
        return headers;
    }

    private static void put(RecordHeaders headers, String name, String value) {
        if (value != null) {
            headers.remove(name);
            headers.add(name, value.getBytes(StandardCharsets.UTF_8));
        }
    }
}
