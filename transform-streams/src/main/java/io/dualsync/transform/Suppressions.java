package io.dualsync.transform;

import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Counts every change the topology does not propagate, by reason, in the Micrometer counter
 * {@value #METER} tagged {@code map}, {@code flow} and {@code reason}, and logs each at DEBUG
 * with where it came from, never with values.
 */
final class Suppressions {

    static final String METER = "dualsync.transform.suppressed";

    /** Why a change was not propagated. */
    enum Reason {
        /** capture marked it as dualsync's own write (loop suppression, layer 1) */
        ORIGIN_SYNC("origin-sync"),
        /** its mapped image equals what the flow last sent for the row (only unmapped columns changed) */
        UNCHANGED("unchanged"),
        /** its mapped image equals the destination's recorded image (loop suppression, layer 2) */
        ECHO("echo"),
        /** the row is not in the map's scope on its own side */
        OUT_OF_SCOPE("out-of-scope"),
        /** a delete of a row that was never synced */
        NEVER_SYNCED("never-synced"),
        /** latest-wins: a concurrent change of the other side committed later (the winner is sent here again) */
        CONFLICT_LOST("conflict-lost"),
        /** a resync read of a row that a change of the other side is still on its way to */
        RESYNC_SUPERSEDED("resync-superseded");

        final String tag;

        Reason(String tag) {
            this.tag = tag;
        }
    }

    private static final Logger log = LoggerFactory.getLogger(Suppressions.class);

    private final MeterRegistry meters;

    Suppressions(MeterRegistry meters) {
        this.meters = meters;
    }

    void count(String map, String flow, Reason reason, String where) {
        meters.counter(METER, "map", map, "flow", flow, "reason", reason.tag).increment();
        if (log.isDebugEnabled()) {
            log.debug("flow {}: change at {} not propagated: {}", flow, where, reason.tag);
        }
    }
}
