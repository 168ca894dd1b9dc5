package io.dualsync.synclog;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SyncLogEntryTest {

    private final SyncLogEntry entry = new SyncLogEntry("customers", "apply[erp]", "host/7",
            Instant.parse("2026-11-30T15:04:00Z"), Map.of(Outcome.INSERTED, 3L, Outcome.FAILED, 1L),
            3, 41L, 180L, 180L, new TreeMap<>(Map.of(38L, 2L, 180L, 1L)));

    @Test
    void shouldWriteEveryCountAndReadItBack() {
        String json = new String(entry.toJson(), StandardCharsets.UTF_8);

        assertThat(json).contains("\"inserted\":3", "\"updated\":0", "\"echoes\":0", "\"failed\":1",
                "\"minute\":\"2026-11-30T15:04:00Z\"", "\"p99Ms\":180", "\"histogram\":{\"38\":2,\"180\":1}");
        assertThat(SyncLogEntry.fromJson(entry.toJson())).isEqualTo(entry);
    }

    @Test
    void shouldWriteMissingPercentilesAsNull() {
        SyncLogEntry none = new SyncLogEntry("m", "transform", "h/1", Instant.parse("2026-11-30T15:04:00Z"),
                Map.of(Outcome.ECHO, 1L), 0, null, null, null, new TreeMap<>());
        assertThat(new String(none.toJson(), StandardCharsets.UTF_8)).contains("\"p50Ms\":null");
        assertThat(SyncLogEntry.fromJson(none.toJson())).isEqualTo(none);
    }

    @Test
    void shouldKeyByMapMinuteServiceAndInstance() {
        assertThat(entry.key()).isEqualTo("customers|2026-11-30T15:04:00Z|apply[erp]|host/7");
    }

    @Test
    void shouldRefuseBytesThatAreNotASyncLogRecord() {
        assertThatThrownBy(() -> SyncLogEntry.fromJson("{\"map\":1}".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not a sync-log record");
    }
}
