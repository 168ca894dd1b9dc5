package io.dualsync.transform;

import io.dualsync.synclog.Outcome;
import io.dualsync.synclog.SyncLog;
import io.dualsync.synclog.SyncLogRecorder;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Counts every change the topology does not propagate, by reason, in the Micrometer counter
 * {@value #METER} tagged {@code map}, {@code flow} and {@code reason}, and in the sync log
 * (echoes, unchanged, filtered, conflicts; and the changes sent to the dead-letter topic as
 * failed), and logs each at DEBUG with where it came from, never with values.
 */
final class Suppressions {

    static final String METER = "dualsync.transform.suppressed";

    /** Why a change was not propagated. */
    enum Reason {
        /** capture marked it as dualsync's own write (loop suppression, layer 1) */
        ORIGIN_SYNC("origin-sync", Outcome.ECHO),
        /** its mapped image equals what the flow last sent for the row (only unmapped columns changed) */
        UNCHANGED("unchanged", Outcome.UNCHANGED),
        /** its mapped image equals the destination's recorded image (loop suppression, layer 2) */
        ECHO("echo", Outcome.ECHO),
        /** the row is not in the map's scope on its own side */
        OUT_OF_SCOPE("out-of-scope", Outcome.FILTERED),
        /** a delete of a row that was never synced */
        NEVER_SYNCED("never-synced", Outcome.FILTERED),
        /** latest-wins: a concurrent change of the other side committed later (the winner is sent here again) */
        CONFLICT_LOST("conflict-lost", Outcome.CONFLICT),
        /** a reference to a parent that is not synced, whose reference says {@code ifParentMissing: skip} */
        PARENT_NOT_SYNCED("parent-not-synced", Outcome.FILTERED),
        /**
         * a snapshot read (a resync's, or a first snapshot taken again after capture lost its position)
         * of a row that a change of the other side is still on its way to: a state older than that change
         */
        STALE_READ("stale-read", Outcome.DUPLICATE);

        final String tag;
        /** how the sync log counts it */
        final Outcome outcome;

        Reason(String tag, Outcome outcome) {
            this.tag = tag;
            this.outcome = outcome;
        }
    }

    private static final Logger log = LoggerFactory.getLogger(Suppressions.class);

    private final MeterRegistry meters;
    private final SyncLogRecorder syncLog;

    Suppressions(MeterRegistry meters) {
        this(meters, SyncLog.inMemory(meters).recorder(TransformService.SYNC_LOG_SERVICE));
    }

    Suppressions(MeterRegistry meters, SyncLogRecorder syncLog) {
        this.meters = meters;
        this.syncLog = syncLog;
    }

    /** A change of {@code map} that went to the dead-letter topic. */
    void deadLettered(String map) {
        syncLog.count(map, Outcome.FAILED, 1);
    }

    void count(String map, String flow, Reason reason, String where) {
        meters.counter(METER, "map", map, "flow", flow, "reason", reason.tag).increment();
        syncLog.count(map, reason.outcome, 1);
        if (log.isDebugEnabled()) {
            log.debug("flow {}: change at {} not propagated: {}", flow, where, reason.tag);
        }
    }
}
