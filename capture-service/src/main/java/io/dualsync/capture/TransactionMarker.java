package io.dualsync.capture;

import io.dualsync.contract.Headers;
import org.apache.kafka.connect.source.SourceRecord;

import java.util.Objects;
import java.util.Optional;

/**
 * Marks dualsync's own transactions (design.md, "Loop suppression", layer 1). Every apply
 * transaction first changes its worker's row in the endpoint's apply checkpoint table, and the
 * log delivers a transaction's events together and in commit order; so when the checkpoint row
 * change of transaction T is seen, every following event of T is {@link Headers#ORIGIN_SYNC},
 * even when T spans several engine batches. The first event of another transaction ends T.
 * Snapshot reads (of the first snapshot or of an incremental one) are never marked. Stateful: one instance per engine, asked in log order.
 *
 * <p>The state lives in memory only, so it must never be needed across a restart: the embedded
 * publisher does not let the engine commit the offset of any event of an open dualsync transaction
 * ({@link #openSyncTransaction()}, {@link CommitGate}); a restarted engine therefore resumes before
 * the transaction's checkpoint change, and this marker sees it again.
 */
final class TransactionMarker implements OriginClassifier {

    private final String checkpointTopic;
    private String syncTransaction;

    /** @param checkpointTopic the Debezium destination of the checkpoint table's events */
    TransactionMarker(String checkpointTopic) {
        this.checkpointTopic = Objects.requireNonNull(checkpointTopic);
    }

    @Override
    public String originOf(SourceRecord record) {
        Optional<String> transaction = SourceTransactions.transactionId(record);
        if (isMarker(record)) {
            boolean live = !SourceTransactions.isSnapshotRead(record);
            syncTransaction = live ? transaction.orElse(null) : null;
            return Headers.ORIGIN_SYNC;
        }
        if (SourceTransactions.isSnapshotRead(record)) {
            // a row read by a snapshot (the first one, or an incremental one a resync asked for) is
            // the row's state, never a write of dualsync's; an incremental snapshot's rows may carry
            // the log position, and so the transaction, of whatever event the engine read last
            return Headers.ORIGIN_APP;
        }
        if (syncTransaction != null && transaction.isPresent() && syncTransaction.equals(transaction.get())) {
            return Headers.ORIGIN_SYNC;
        }
        syncTransaction = null; // a transaction other than the marked one: it ended
        return Headers.ORIGIN_APP;
    }

    @Override
    public Optional<String> openSyncTransaction() {
        return Optional.ofNullable(syncTransaction);
    }

    @Override
    public boolean isMarker(SourceRecord record) {
        return checkpointTopic.equals(record.topic());
    }
}
