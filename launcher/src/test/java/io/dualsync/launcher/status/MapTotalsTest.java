package io.dualsync.launcher.status;

import io.dualsync.synclog.Outcome;
import io.dualsync.synclog.SyncLogEntry;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;

class MapTotalsTest {

    private static SyncLogEntry entry(String minute, long inserted, long p50, long p99, Map<Long, Long> histogram) {
        long count = histogram.values().stream().mapToLong(Long::longValue).sum();
        return new SyncLogEntry("customers", "apply[erp]", "h/1", Instant.parse(minute), Map.of(Outcome.INSERTED, inserted),
                count, p50, p99, p99, new TreeMap<>(histogram));
    }

    @Test
    void shouldKeepTheExactPercentilesOfASingleMinute() {
        MapTotals totals = new MapTotals();
        totals.add(entry("2026-11-30T15:04:00Z", 3, 41, 1234, Map.of(41L, 2L, 1240L, 1L)));

        assertThat(totals.p50Ms()).isEqualTo(41);
        assertThat(totals.p99Ms()).isEqualTo(1234);
        assertThat(totals.counts()).containsEntry(Outcome.INSERTED, 3L).containsEntry(Outcome.FAILED, 0L);
    }

    @Test
    void shouldAddUpMinutesAndReadPercentilesFromTheMergedHistograms() {
        MapTotals totals = new MapTotals();
        totals.add(entry("2026-11-30T15:04:00Z", 3, 10, 10, Map.of(10L, 3L)));
        totals.add(entry("2026-11-30T15:05:00Z", 1, 500, 500, Map.of(500L, 1L)));

        assertThat(totals.counts()).containsEntry(Outcome.INSERTED, 4L);
        assertThat(totals.latencyCount()).isEqualTo(4);
        assertThat(totals.p50Ms()).isEqualTo(10);
        assertThat(totals.p99Ms()).isEqualTo(500);
    }
}
