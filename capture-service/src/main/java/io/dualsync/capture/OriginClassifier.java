package io.dualsync.capture;

import io.dualsync.contract.Headers;
import org.apache.kafka.connect.source.SourceRecord;

import java.util.Optional;

/**
 * Decides who made a captured change: {@link Headers#ORIGIN_APP} for the endpoint's own users,
 * {@link Headers#ORIGIN_SYNC} for changes dualsync applied itself (design.md, "Loop
 * suppression"), from the connector's structured record, before conversion: the same in the
 * embedded engine ({@link ChangePublisher}) and on Kafka Connect ({@link OriginTagging}). It is asked
 * once per record, in log order ({@link RawRecordTagger}), so an implementation may keep state
 * across records and batches (the source transaction of the last apply-checkpoint change).
 */
@FunctionalInterface
public interface OriginClassifier {

    /** Every change is the application's: loop suppression by marker is not active yet. */
    OriginClassifier ALL_APP = record -> Headers.ORIGIN_APP;

    /** {@link Headers#ORIGIN_APP} or {@link Headers#ORIGIN_SYNC}. */
    String originOf(SourceRecord record);

    /**
     * Whether the record is a bookkeeping marker (a change of dualsync's apply checkpoint) that
     * must not be published. Asked after {@link #originOf}.
     */
    default boolean isMarker(SourceRecord record) {
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
