package io.dualsync.capture;

import io.debezium.engine.ChangeEvent;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Decides when a published change event may be marked processed, that is when the engine may
 * commit its offset: never while the event belongs to a dualsync transaction whose end has not
 * been seen yet. Fed every event in log order, each with the dualsync transaction that is open
 * after it ({@link OriginClassifier#openSyncTransaction()}), it holds the events of an open
 * dualsync transaction (and so every event after them: offsets are positions, they must be
 * committed in order) and releases them, in order, with the first event that shows the
 * transaction over: an event of another transaction, or a transaction END record (MariaDB); one
 * that opens another dualsync transaction releases the held ones and is held itself. Outside
 * dualsync transactions every event passes at once.
 *
 * <p>Why: {@link TransactionMarker} knows a transaction is dualsync's only from its first event,
 * the apply-checkpoint change, and keeps that knowledge in memory. Debezium resumes after the
 * last committed offset <em>inside</em> a transaction: PostgreSQL's offset holds
 * {@code lsn_proc}, and on restart {@code WalPositionLocator} skips every message of the resumed
 * transaction up to that LSN; MariaDB's holds the transaction's BEGIN position with the number of
 * events and rows already processed, which {@code BinlogStreamingChangeEventSource} skips. So an
 * offset committed for the checkpoint change (or a later event of its transaction) lets a restart
 * deliver the rest of the transaction without the checkpoint change, and the marker would take
 * it for a user's change. Holding the offsets makes every restart replay a dualsync transaction
 * from its checkpoint change; the replayed events are published again, all marked sync (raw
 * duplicates the transform handles like any redelivery). This needs no state outside the engine's
 * own offsets; persisting the marker's state instead (a topic of open transactions, written before
 * each commit) would be a second store that must stay in step with the offsets. The cost: a
 * dualsync transaction's offsets are committed only once the next transaction's first event
 * arrives, so after an idle stop the last dualsync transaction is captured again; those events
 * are sync and go nowhere. Not thread-safe: one instance per engine, called by its batch handler.
 */
final class CommitGate {

    private final List<ChangeEvent<byte[], byte[]>> held = new ArrayList<>();
    private String heldFor;

    /**
     * Takes the next event in log order.
     *
     * @param openSyncTransaction the dualsync transaction open after this event; null: none
     * @return the events that may now be marked processed, in log order (possibly none; possibly
     *         earlier events held until now, with or without this one)
     */
    List<ChangeEvent<byte[], byte[]>> pass(ChangeEvent<byte[], byte[]> event, String openSyncTransaction) {
        List<ChangeEvent<byte[], byte[]>> released = new ArrayList<>();
        if (!held.isEmpty() && !Objects.equals(heldFor, openSyncTransaction)) {
            // the held transaction is over: this event belongs to another one (or ends it)
            released.addAll(held);
            held.clear();
        }
        heldFor = openSyncTransaction;
        if (openSyncTransaction == null) {
            released.add(event);
        } else {
            held.add(event);
        }
        return released;
    }

    /** How many events are held back, waiting for the end of their dualsync transaction. */
    int held() {
        return held.size();
    }
}
