package io.dualsync.transform;

import io.dualsync.contract.Headers;
import io.dualsync.contract.MappedChange;
import io.dualsync.contract.MappedChangeCodec;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The processor of one flow: reads a raw record (bytes), decodes the Debezium envelope, asks the
 * {@link FlowMapper} what it means given the row's {@link Link}, forwards the mapped changes to
 * the mapped-topic sink and keeps the link in the flow's store. A record that cannot be mapped
 * goes, bytes unchanged, to the dead-letter sink, and the stream continues.
 *
 * <p>Tombstones are skipped. A change dualsync made itself ({@code dualsync.origin=sync}) is
 * never propagated, but it still updates the link: the other side already holds that image, so
 * a later user change back to the previous value must not look like a no-op.
 *
 * <p>Logs name the flow, topic, partition, offset and reason, never row values.
 */
final class MappingProcessor implements Processor<byte[], byte[], Object, Object> {

    private static final Logger log = LoggerFactory.getLogger(MappingProcessor.class);

    private final Flow flow;
    private final RawChangeDecoder decoder;
    private final FlowMapper mapper;
    private final MappedChangeCodec codec;
    private final AvroSerdes serdes;

    private ProcessorContext<Object, Object> context;
    private KeyValueStore<String, Link> links;
    private Deserializer<GenericRecord> keys;
    private Deserializer<GenericRecord> values;

    MappingProcessor(Flow flow, RawChangeDecoder decoder, FlowMapper mapper, MappedChangeCodec codec, AvroSerdes serdes) {
        this.flow = flow;
        this.decoder = decoder;
        this.mapper = mapper;
        this.codec = codec;
        this.serdes = serdes;
    }

    @Override
    public void init(ProcessorContext<Object, Object> context) {
        this.context = context;
        this.links = context.getStateStore(flow.storeName());
        this.keys = serdes.rawKeyDeserializer();
        this.values = serdes.rawValueDeserializer();
    }

    @Override
    public void process(Record<byte[], byte[]> record) {
        if (record.value() == null) {
            return;
        }
        boolean madeBySync = isMadeBySync(record);
        try {
            map(record, madeBySync);
        } catch (RuntimeException e) {
            if (!Failures.isRecordFailure(e)) {
                throw e;
            }
            if (madeBySync) {
                // an echo of dualsync's own write: nothing to propagate, nothing for an operator to fix
                log.debug("flow {}: skipped an unmappable sync-made change at {}: {}", flow.name(), where(), Failures.reason(e));
                return;
            }
            log.warn("flow {}: change at {} sent to {}: {}", flow.name(), where(), flow.deadLetterTopic(), Failures.reason(e));
            context.forward(DeadLetters.of(record, e, flow.map().name(), context.recordMetadata(),
                    Instant.ofEpochMilli(context.currentSystemTimeMs())), flow.deadLetterSinkName());
        }
    }

    private void map(Record<byte[], byte[]> record, boolean madeBySync) {
        String topic = flow.rawTopic();
        RawChange change = decoder.decode(
                keys.deserialize(topic, record.headers(), record.key()),
                values.deserialize(topic, record.headers(), record.value()));
        Link previous = links.get(change.sourceKey());
        FlowMapper.Outcome outcome = mapper.decide(change, previous);
        if (!madeBySync) {
            // encode every change before forwarding any, so a failure emits nothing half-way
            List<Record<Object, Object>> out = new ArrayList<>(outcome.changes().size());
            for (MappedChange c : outcome.changes()) {
                out.add(new Record<>(codec.encodeKey(c), codec.encodeValue(c), record.timestamp()));
            }
            out.forEach(r -> context.forward(r, flow.mappedSinkName()));
        }
        keep(change.sourceKey(), previous, outcome.link());
    }

    private void keep(String sourceKey, Link previous, Link next) {
        if (Objects.equals(previous, next)) {
            return;
        }
        if (next == null) {
            links.delete(sourceKey);
        } else {
            links.put(sourceKey, next);
        }
    }

    private static boolean isMadeBySync(Record<byte[], byte[]> record) {
        Header origin = record.headers().lastHeader(Headers.ORIGIN);
        return origin != null && origin.value() != null
                && Headers.ORIGIN_SYNC.equals(new String(origin.value(), StandardCharsets.UTF_8));
    }

    private String where() {
        Optional<RecordMetadata> m = context.recordMetadata();
        return m.map(r -> r.topic() + "-" + r.partition() + " offset " + r.offset()).orElse("an unknown offset");
    }

    @Override
    public void close() {
        if (keys != null) {
            keys.close();
        }
        if (values != null) {
            values.close();
        }
    }
}
