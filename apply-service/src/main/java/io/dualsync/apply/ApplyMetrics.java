package io.dualsync.apply;

import io.dualsync.contract.Headers;
import io.dualsync.synclog.Outcome;
import io.dualsync.synclog.SyncLogRecorder;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * The apply service's counters, tagged with the map: {@code dualsync.apply.applied},
 * {@code .unchanged}, {@code .duplicates}, {@code .superseded}, {@code .dead_lettered}
 * (see {@link ApplyResult} for what each counts); and every change's outcome in the sync log
 * ({@link SyncLogRecorder}): inserted, updated, deleted with their latency, duplicates,
 * unchanged (superseded included), conflicts and failed.
 */
final class ApplyMetrics {

    private final MeterRegistry registry;
    private final SyncLogRecorder syncLog;

    ApplyMetrics(MeterRegistry registry, SyncLogRecorder syncLog) {
        this.registry = registry;
        this.syncLog = syncLog;
    }

    void record(String map, ApplyResult result) {
        count("dualsync.apply.applied", map, result.applied());
        count("dualsync.apply.unchanged", map, result.unchanged());
        count("dualsync.apply.duplicates", map, result.duplicates());
        count("dualsync.apply.superseded", map, result.superseded());
        for (ApplyResult.Written w : result.written()) {
            syncLog.written(map, w.outcome(), w.latency());
        }
        // applied changes the dialect could not tell apart (none today) still count, as updates
        syncLog.count(map, Outcome.UPDATED, result.applied() - result.written().size());
        syncLog.count(map, Outcome.DUPLICATE, result.duplicates());
        syncLog.count(map, Outcome.UNCHANGED, result.unchanged() + result.superseded());
        long conflicts = result.failed().stream().filter(f -> Headers.ERROR_CLASS_CONFLICT.equals(f.errorClass())).count();
        syncLog.count(map, Outcome.CONFLICT, conflicts);
        // FAILED is counted when a change really leaves for the dead-letter topic (see failed()):
        // a change waiting for its parent goes to the retry topic first and may still succeed.
    }

    /** Changes that left for the dead-letter topic for another reason than a conflict. */
    void failed(String map, int records) {
        syncLog.count(map, Outcome.FAILED, records);
    }

    void deadLettered(String map, int records) {
        count("dualsync.apply.dead_lettered", map, records);
    }

    /** A record that could not even be decoded went to the dead-letter topic. */
    void undecodable(String map) {
        deadLettered(map, 1);
        syncLog.count(map, Outcome.FAILED, 1);
    }

    private void count(String name, String map, int n) {
        if (n > 0) {
            registry.counter(name, "map", map).increment(n);
        }
    }
}
