package io.dualsync.transform;

import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Keeps a referenced map's global couplings store equal to its topic: the latest value per key,
 * a tombstone removes the key. The store holds exactly the topic's records, so restoring it from
 * the topic (which Kafka Streams does without this processor) gives the same store.
 */
final class CouplingsStoreProcessor implements Processor<String, String, Void, Void> {

    private final String storeName;
    private KeyValueStore<String, String> store;

    CouplingsStoreProcessor(String storeName) {
        this.storeName = storeName;
    }

    @Override
    public void init(ProcessorContext<Void, Void> context) {
        store = context.getStateStore(storeName);
    }

    @Override
    public void process(Record<String, String> record) {
        if (record.value() == null) {
            store.delete(record.key());
        } else {
            store.put(record.key(), record.value());
        }
    }
}
