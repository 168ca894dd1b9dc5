package io.dualsync.transform;

import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

import java.util.ArrayList;
import java.util.List;

/**
 * The changes of one flow that wait for a parent's coupling, one per source row, in the flow's
 * {@code <flow>.waiting} store (changelogged: waiting survives a restart). While a row waits, its
 * later changes wait in its place, so they are never applied out of order; the newest image of
 * the row is what is finally mapped.
 */
final class ParentWaits {

    private final KeyValueStore<String, WaitingChange> store;

    ParentWaits(KeyValueStore<String, WaitingChange> store) {
        this.store = store;
    }

    boolean isWaiting(String sourceKey) {
        return store.get(sourceKey) != null;
    }

    void start(String sourceKey, Record<byte[], byte[]> record, RecordMetadata origin, long deadline) {
        store.put(sourceKey, WaitingChange.of(record, origin, deadline));
    }

    /** A later change of a waiting row takes its place, keeping the first one's deadline. */
    void replace(String sourceKey, Record<byte[], byte[]> record, RecordMetadata origin) {
        store.put(sourceKey, store.get(sourceKey).replacedBy(record, origin));
    }

    void done(String sourceKey) {
        if (sourceKey != null) {
            store.delete(sourceKey);
        }
    }

    /** Every waiting change, copied out so the caller may change the store while going through them. */
    List<KeyValue<String, WaitingChange>> all() {
        List<KeyValue<String, WaitingChange>> all = new ArrayList<>();
        try (KeyValueIterator<String, WaitingChange> it = store.all()) {
            it.forEachRemaining(all::add);
        }
        return all;
    }
}
