package io.dualsync.launcher.status;

import io.dualsync.synclog.LatencySamples;
import io.dualsync.synclog.Outcome;
import io.dualsync.synclog.SyncLogEntry;

import java.util.EnumMap;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;

/**
 * The sync-log entries of one map (over a window, or one minute) added up: counts per outcome and
 * the latency percentiles. One entry's percentiles are exact as written; the percentiles of
 * several entries are read from their merged histograms (within 1 %, see {@link LatencySamples}).
 */
public final class MapTotals {

    private final EnumMap<Outcome, Long> counts = new EnumMap<>(Outcome.class);
    private final NavigableMap<Long, Long> histogram = new TreeMap<>();
    private long latencyCount;
    private SyncLogEntry onlyMeasured;
    private int measuredEntries;

    public MapTotals() {
        for (Outcome o : Outcome.values()) {
            counts.put(o, 0L);
        }
    }

    public void add(SyncLogEntry entry) {
        entry.counts().forEach((o, n) -> counts.merge(o, n, Long::sum));
        if (entry.latencyCount() > 0) {
            latencyCount += entry.latencyCount();
            entry.histogram().forEach((bound, n) -> histogram.merge(bound, n, Long::sum));
            measuredEntries++;
            onlyMeasured = entry;
        }
    }

    public Map<Outcome, Long> counts() {
        return counts;
    }

    public long latencyCount() {
        return latencyCount;
    }

    public Long p50Ms() {
        return measuredEntries == 1 ? onlyMeasured.p50Ms() : LatencySamples.percentile(histogram, 50);
    }

    public Long p99Ms() {
        return measuredEntries == 1 ? onlyMeasured.p99Ms() : LatencySamples.percentile(histogram, 99);
    }
}
