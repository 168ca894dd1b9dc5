package io.dualsync.synclog;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Adds up outcomes and latencies per service, map and minute, and hands over the minutes that
 * are over as {@link SyncLogEntry sync-log entries}. Thread-safe: the clock is read under the
 * same lock as {@link #drainEndedMinutes()}, so nothing is ever added to a minute that was
 * already drained.
 */
public final class MinuteAggregator {

    private record Key(String service, String map, Instant minute) {
    }

    private static final class Totals {
        final EnumMap<Outcome, Long> counts = new EnumMap<>(Outcome.class);
        final LatencySamples latencies = new LatencySamples();
    }

    private final Clock clock;
    private final String instance;
    private final Map<Key, Totals> open = new LinkedHashMap<>();

    /** @param instance names this process in the entries ({@code host/pid}) */
    public MinuteAggregator(Clock clock, String instance) {
        this.clock = clock;
        this.instance = instance;
    }

    public synchronized void count(String service, String map, Outcome outcome, long n) {
        if (n > 0) {
            totals(service, map).counts.merge(outcome, n, Long::sum);
        }
    }

    /** Counts one change that wrote to the target, with its source-commit to target-commit latency. */
    public synchronized void written(String service, String map, Outcome outcome, Duration latency) {
        Totals totals = totals(service, map);
        totals.counts.merge(outcome, 1L, Long::sum);
        if (latency != null) {
            totals.latencies.add(latency.toMillis());
        }
    }

    /** Removes and returns the entries of every minute before the current one. */
    public synchronized List<SyncLogEntry> drainEndedMinutes() {
        return drain(currentMinute());
    }

    /** Removes and returns every entry, the current minute's included (at shutdown). */
    public synchronized List<SyncLogEntry> drainAll() {
        return drain(Instant.MAX);
    }

    private List<SyncLogEntry> drain(Instant before) {
        List<SyncLogEntry> entries = new ArrayList<>();
        Iterator<Map.Entry<Key, Totals>> it = open.entrySet().iterator();
        while (it.hasNext()) {
            Map.Entry<Key, Totals> e = it.next();
            if (e.getKey().minute().isBefore(before)) {
                entries.add(entry(e.getKey(), e.getValue()));
                it.remove();
            }
        }
        return entries;
    }

    private SyncLogEntry entry(Key key, Totals totals) {
        LatencySamples l = totals.latencies;
        return new SyncLogEntry(key.map(), key.service(), instance, key.minute(), totals.counts, l.count(),
                l.percentile(50), l.percentile(99), l.max(), l.histogram());
    }

    private Totals totals(String service, String map) {
        return open.computeIfAbsent(new Key(service, map, currentMinute()), k -> new Totals());
    }

    private Instant currentMinute() {
        return clock.instant().truncatedTo(ChronoUnit.MINUTES);
    }
}
