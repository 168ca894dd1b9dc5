package io.dualsync.apply.dlt;

import io.dualsync.contract.Headers;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class DeadLetterReplayTest {

    private static final Instant NOW = Instant.parse("2026-11-30T16:00:00Z");

    @Test
    void shouldRepublishTheOriginalRecordToItsTopicAndPartitionWithoutTheErrorHeaders() {
        DeadLetterRecord dead = DeadLetterRecords.of(0, 5, "customers", "permanent", "2026-11-30T10:00:00Z",
                Map.of(Headers.ARBITRATED_TARGET_HASH, "abc", Headers.RETRY_COUNT, "3", Headers.ERROR_EXCEPTION, "E"));

        ProducerRecord<byte[], byte[]> replay = DeadLetterReplay.replayRecord(dead, false, NOW, 3);

        assertThat(replay.topic()).isEqualTo("dualsync.mapped.customers.erp");
        assertThat(replay.partition()).isEqualTo(1);
        assertThat(replay.key()).isEqualTo(dead.key());
        assertThat(replay.value()).isEqualTo(dead.value());
        assertThat(headers(replay)).containsOnlyKeys(Headers.ORIGIN, Headers.ARBITRATED_TARGET_HASH, Headers.REPLAYED_AT)
                .containsEntry(Headers.REPLAYED_AT, "2026-11-30T16:00:00Z");
    }

    @Test
    void shouldCarryTheOverwriteDecisionForAConflict() {
        DeadLetterRecord conflict = DeadLetterRecords.of(0, 5, "customers", Headers.ERROR_CLASS_CONFLICT, "2026-11-30T10:00:00Z",
                Map.of(Headers.CONFLICT_TARGET_IMAGE, "{}"));

        assertThat(headers(DeadLetterReplay.replayRecord(conflict, true, NOW, 3)))
                .containsEntry(Headers.REPLAY_DECISION, Headers.REPLAY_OVERWRITE)
                .doesNotContainKey(Headers.CONFLICT_TARGET_IMAGE);
        assertThat(headers(DeadLetterReplay.replayRecord(conflict, false, NOW, 3))).doesNotContainKey(Headers.REPLAY_DECISION);
    }

    @Test
    void shouldLetThePartitionerChooseWhenTheOriginalPartitionIsGone() {
        DeadLetterRecord dead = DeadLetterRecords.of(0, 5, "customers", "permanent", "2026-11-30T10:00:00Z", Map.of());

        assertThat(DeadLetterReplay.replayRecord(dead, false, NOW, 1).partition()).isNull();
    }

    @Test
    void shouldNotReplayARecordThatDoesNotSayWhereItCameFrom() {
        DeadLetterRecord dead = DeadLetterRecords.of(0, 5, "customers", "permanent", "2026-11-30T10:00:00Z",
                Map.of(Headers.ORIGINAL_TOPIC, ""));

        assertThat(DeadLetterReplay.replayRecord(dead, false, NOW, 1)).isNull();
    }

    private static Map<String, String> headers(ProducerRecord<byte[], byte[]> r) {
        Map<String, String> m = new LinkedHashMap<>();
        for (Header h : r.headers()) {
            m.put(h.key(), new String(h.value(), StandardCharsets.UTF_8));
        }
        return m;
    }
}
