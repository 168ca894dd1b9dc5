package io.dualsync.apply;

import io.dualsync.contract.Headers;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

class DeadLetterTest {

    private static final byte[] KEY = {0, 0, 0, 0, 7, 1, 2};
    private static final byte[] VALUE = {0, 0, 0, 0, 8, (byte) 0xff, 0, 42};

    @Test
    void shouldKeepTheOriginalBytesAndSayWhyAndWhereFrom() {
        RecordHeaders original = new RecordHeaders();
        original.add("trace", "abc".getBytes(StandardCharsets.UTF_8));
        ConsumerRecord<byte[], byte[]> record = new ConsumerRecord<>("dualsync.mapped.customers.erp", 3, 1234L,
                0L, TimestampType.CREATE_TIME, KEY.length, VALUE.length, KEY, VALUE, original, Optional.empty());

        ProducerRecord<byte[], byte[]> dead = DeadLetter.of("erp", "customers", record, new DeadLetter.Failure("permanent",
                "org.postgresql.util.PSQLException", "23502", "null value in column \"name\"", 2,
                Instant.parse("2024-01-01T00:00:00Z"), Instant.parse("2024-01-01T00:00:01Z"), null));

        assertThat(dead.topic()).isEqualTo("dualsync.dlt.erp");
        assertThat(dead.key()).isEqualTo(KEY);
        assertThat(dead.value()).isEqualTo(VALUE);
        assertThat(headers(dead))
                .containsEntry("trace", "abc")
                .containsEntry(Headers.ERROR_CLASS, "permanent")
                .containsEntry(Headers.ERROR_EXCEPTION, "org.postgresql.util.PSQLException")
                .containsEntry(Headers.ERROR_MESSAGE, "null value in column \"name\"")
                .containsEntry(Headers.SQL_STATE, "23502")
                .containsEntry(Headers.STAGE, "apply")
                .containsEntry(Headers.ATTEMPTS, "2")
                .containsEntry(Headers.FIRST_FAILURE, "2024-01-01T00:00:00Z")
                .containsEntry(Headers.LAST_FAILURE, "2024-01-01T00:00:01Z")
                .containsEntry(Headers.ORIGINAL_TOPIC, "dualsync.mapped.customers.erp")
                .containsEntry(Headers.ORIGINAL_PARTITION, "3")
                .containsEntry(Headers.ORIGINAL_OFFSET, "1234")
                .containsEntry(Headers.MAP, "customers");
    }

    @Test
    void shouldLeaveOutTheSqlStateWhenThereIsNone() {
        ConsumerRecord<byte[], byte[]> record = new ConsumerRecord<>("dualsync.mapped.customers.erp", 0, 1L, KEY, VALUE);

        ProducerRecord<byte[], byte[]> dead = DeadLetter.of("erp", "customers", record, new DeadLetter.Failure("undecodable",
                "java.lang.IllegalArgumentException", null, "record has no value", 1, Instant.EPOCH, Instant.EPOCH, null));

        assertThat(headers(dead)).doesNotContainKey(Headers.SQL_STATE).containsEntry(Headers.ATTEMPTS, "1");
    }

    @Test
    void shouldSendADependentChangeToTheRetryTopicDueLaterAndCounted() {
        ConsumerRecord<byte[], byte[]> record = new ConsumerRecord<>("dualsync.mapped.contacts.erp", 2, 77L, KEY, VALUE);
        Instant due = Instant.parse("2024-01-01T00:00:05Z");

        ProducerRecord<byte[], byte[]> retry = DeadLetter.retry("erp", "contacts", record, new DeadLetter.Failure("dependent",
                "org.postgresql.util.PSQLException", "23503", "insert or update on table \"contact\" violates foreign key constraint",
                2, Instant.parse("2024-01-01T00:00:00Z"), Instant.parse("2024-01-01T00:00:00Z"), null), due);

        assertThat(retry.topic()).isEqualTo("dualsync.retry.erp");
        assertThat(retry.value()).isEqualTo(VALUE);
        assertThat(headers(retry))
                .containsEntry(Headers.RETRY_DUE, "2024-01-01T00:00:05Z")
                .containsEntry(Headers.RETRY_COUNT, "1")
                .containsEntry(Headers.ERROR_CLASS, "dependent")
                .containsEntry(Headers.SQL_STATE, "23503")
                .containsEntry(Headers.ORIGINAL_TOPIC, "dualsync.mapped.contacts.erp")
                .containsEntry(Headers.ORIGINAL_PARTITION, "2")
                .containsEntry(Headers.ORIGINAL_OFFSET, "77");
    }

    @Test
    void shouldKeepTheOriginAndTheWholeHistoryWhenARetriedChangeIsDeadLettered() {
        ConsumerRecord<byte[], byte[]> mapped = new ConsumerRecord<>("dualsync.mapped.contacts.erp", 2, 77L, KEY, VALUE);
        ProducerRecord<byte[], byte[]> retry = DeadLetter.retry("erp", "contacts", mapped, new DeadLetter.Failure("dependent",
                "E", "23503", "fk", 2, Instant.parse("2024-01-01T00:00:00Z"), Instant.parse("2024-01-01T00:00:00Z"), null),
                Instant.parse("2024-01-01T00:00:05Z"));
        ConsumerRecord<byte[], byte[]> consumed = new ConsumerRecord<>(retry.topic(), 0, 9L, 0L, TimestampType.CREATE_TIME,
                KEY.length, VALUE.length, KEY, VALUE, retry.headers(), Optional.empty());

        ProducerRecord<byte[], byte[]> dead = DeadLetter.of("erp", "contacts", consumed, new DeadLetter.Failure("dependent",
                "E", "23503", "fk", 1, Instant.parse("2024-01-01T00:00:06Z"), Instant.parse("2024-01-01T00:00:06Z"), null));

        assertThat(headers(dead))
                .containsEntry(Headers.ORIGINAL_TOPIC, "dualsync.mapped.contacts.erp")
                .containsEntry(Headers.ORIGINAL_OFFSET, "77")
                .containsEntry(Headers.ATTEMPTS, "3")
                .containsEntry(Headers.RETRY_COUNT, "1")
                .containsEntry(Headers.FIRST_FAILURE, "2024-01-01T00:00:00Z")
                .containsEntry(Headers.LAST_FAILURE, "2024-01-01T00:00:06Z")
                .doesNotContainKey(Headers.RETRY_DUE);
    }

    private static Map<String, String> headers(ProducerRecord<byte[], byte[]> record) {
        Map<String, String> headers = new LinkedHashMap<>();
        for (Header h : record.headers()) {
            headers.put(h.key(), new String(h.value(), StandardCharsets.UTF_8));
        }
        return headers;
    }
}
