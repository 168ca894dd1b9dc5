package io.dualsync.capture;

import io.debezium.engine.ChangeEvent;
import io.dualsync.contract.Headers;

import java.util.Optional;

/**
 * Decides who made a captured change: {@link Headers#ORIGIN_APP} for the endpoint's own users,
 * {@link Headers#ORIGIN_SYNC} for changes dualsync applied itself (design.md, "Loop
 * suppression"). The publisher asks once per event, in log order, so an implementation may keep
 * state across events and batches (the source transaction of the last apply-checkpoint change).
 * Implementations that need the structured record can read it from
 * {@code io.debezium.embedded.EmbeddedEngineChangeEvent#sourceRecord()}.
 */
@FunctionalInterface
public interface OriginClassifier {

    /** Every change is the application's: loop suppression by marker is not active yet. */
    OriginClassifier ALL_APP = event -> Headers.ORIGIN_APP;

    /** {@link Headers#ORIGIN_APP} or {@link Headers#ORIGIN_SYNC}. */
    String originOf(ChangeEvent<byte[], byte[]> event);

    /**
     * Whether the event is a bookkeeping marker (a change of dualsync's apply checkpoint) that
     * the publisher must not publish. Asked after {@link #originOf}.
     */
    default boolean isMarker(ChangeEvent<byte[], byte[]> event) {
        return false;
    }

    /**
     * The dualsync transaction that is open after the last event classified: the one whose
     * checkpoint change was seen and whose end (an event of another transaction) was not yet;
     * empty when none. The publisher holds back the offsets of such a transaction's events until it
     * has ended ({@link CommitGate}), so that a restart replays it from its checkpoint change.
     */
    default Optional<String> openSyncTransaction() {
        return Optional.empty();
    }
}
