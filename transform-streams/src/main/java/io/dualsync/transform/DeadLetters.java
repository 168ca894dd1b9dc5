package io.dualsync.transform;

import io.dualsync.contract.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Optional;

/**
 * The dead-letter record for a raw record the transform could not map: the original key and
 * value bytes and headers unchanged, plus the {@link Headers} error headers (class, exception,
 * reason, stage {@value #STAGE}, one attempt, failure time, where the record came from, the map).
 */
final class DeadLetters {

    static final String STAGE = "transform";

    private DeadLetters() {
    }

    static Record<byte[], byte[]> of(Record<byte[], byte[]> failed, Throwable error, String map,
                                     Optional<RecordMetadata> origin, Instant now) {
        RecordHeaders headers = new RecordHeaders(failed.headers().toArray());
        set(headers, Headers.ERROR_CLASS, errorClass(error));
        set(headers, Headers.ERROR_EXCEPTION, error.getClass().getName());
        set(headers, Headers.ERROR_MESSAGE, Failures.reason(error));
        set(headers, Headers.STAGE, STAGE);
        set(headers, Headers.ATTEMPTS, "1");
        set(headers, Headers.FIRST_FAILURE, now.toString());
        set(headers, Headers.LAST_FAILURE, now.toString());
        origin.ifPresent(o -> {
            set(headers, Headers.ORIGINAL_TOPIC, o.topic());
            set(headers, Headers.ORIGINAL_PARTITION, Integer.toString(o.partition()));
            set(headers, Headers.ORIGINAL_OFFSET, Long.toString(o.offset()));
        });
        set(headers, Headers.MAP, map);
        return new Record<>(failed.key(), failed.value(), failed.timestamp(), headers);
    }

    /**
     * The same classes as apply's, so an operator filters one way: a change whose referenced
     * parent never reached the other side is {@code dependent}; one that does not fit its map (a
     * value the map or the target column cannot take) is {@code permanent}; bytes that cannot be
     * read as a change (not Avro, an unknown schema id) are {@code undecodable}.
     */
    static String errorClass(Throwable error) {
        if (error instanceof ParentNotSynced) {
            return Headers.ERROR_CLASS_DEPENDENT;
        }
        return error instanceof MappingException || error instanceof IllegalArgumentException
                || error instanceof ClassCastException
                ? Headers.ERROR_CLASS_PERMANENT : Headers.ERROR_CLASS_UNDECODABLE;
    }

    private static void set(RecordHeaders headers, String name, String value) {
        headers.remove(name);
        headers.add(name, value.getBytes(StandardCharsets.UTF_8));
    }
}
