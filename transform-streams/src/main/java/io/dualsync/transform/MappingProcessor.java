package io.dualsync.transform;

import io.dualsync.contract.Headers;
import io.dualsync.contract.MappedChange;
import io.dualsync.contract.MappedChangeCodec;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.common.header.Header;
import io.dualsync.config.Side;
import io.dualsync.contract.Operation;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.Set;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
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
 * <p>When the map flows both ways, mapped records do not go to the mapped topic directly: they
 * travel, with the images of both sides, to the map's {@link EchoFilterProcessor} through
 * {@code dualsync.coupled.<map>}, keyed by the coupled key; so does what a change dualsync made
 * tells about both sides. Every change not propagated is counted by reason ({@link Suppressions}).
 *
 * <p>A flow with reference fields translates them through the referenced maps' couplings stores
 * ({@link Couplings}); a change whose parent is not known on both sides yet waits in
 * {@link ParentWaits} and is tried again every {@link #RETRY_INTERVAL}, up to its reference's
 * {@code maxWait}, then gets the reference's {@code ifParentMissing} outcome.
 *
 * <p>Logs name the flow, topic, partition, offset and reason, never row values.
 */
final class MappingProcessor implements Processor<byte[], byte[], Object, Object> {

    private static final Logger log = LoggerFactory.getLogger(MappingProcessor.class);
    /** How often changes waiting for a parent are tried again. */
    static final Duration RETRY_INTERVAL = Duration.ofSeconds(1);

    private final Flow flow;
    private final RawChangeDecoder decoder;
    private final FlowMapper mapper;
    private final MappedChangeCodec codec;
    private final AvroSerdes serdes;
    private final Suppressions suppressions;

    private ProcessorContext<Object, Object> context;
    private Serializer<GenericRecord> mappedKeys;
    private Serializer<GenericRecord> mappedValues;
    private KeyValueStore<String, Link> links;
    private RawRecordReader reader;
    /** The changes waiting for a parent; null when the flow has no references. */
    private ParentWaits waits;
    private Map<String, ReadOnlyKeyValueStore<String, String>> couplingStores = Map.of();
    /** Where the record being handled was read. */
    private RecordMetadata origin;

    MappingProcessor(Flow flow, RawChangeDecoder decoder, FlowMapper mapper, MappedChangeCodec codec, AvroSerdes serdes,
                     Suppressions suppressions) {
        this.suppressions = suppressions;
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
        this.reader = new RawRecordReader(flow, decoder, serdes);
        if (flow.coupled()) {
            this.mappedKeys = serdes.mappedKeySerializer();
            this.mappedValues = serdes.mappedValueSerializer();
        }
        Set<String> referenced = flow.referencedMaps();
        if (!referenced.isEmpty()) {
            Map<String, ReadOnlyKeyValueStore<String, String>> stores = new HashMap<>();
            referenced.forEach(m -> stores.put(m, context.getStateStore(Flow.couplingsStoreName(m))));
            this.couplingStores = stores;
            this.waits = new ParentWaits(context.getStateStore(flow.waitingStoreName()));
            context.schedule(RETRY_INTERVAL, PunctuationType.WALL_CLOCK_TIME, this::retryWaiting);
        }
    }

    @Override
    public void process(Record<byte[], byte[]> record) {
        if (record.value() == null) {
            return;
        }
        handle(record, context.recordMetadata().orElse(null), null);
    }

    /**
     * Maps one raw record, arrived now or waiting for a parent since earlier ({@code waited}).
     *
     * @param origin where the record was read, for logs and dead-letter headers
     */
    private void handle(Record<byte[], byte[]> record, RecordMetadata origin, WaitingChange waited) {
        this.origin = origin;
        boolean madeBySync = isMadeBySync(record);
        String sourceKey = null;
        try {
            RawChange change = reader.read(record);
            sourceKey = change.sourceKey();
            if (waits != null && !madeBySync && waited == null && waits.isWaiting(sourceKey)) {
                waits.replace(sourceKey, record, origin);
                return;
            }
            boolean givingUp = waited != null && context.currentSystemTimeMs() >= waited.deadline();
            map(change, record, madeBySync, new Couplings(couplingStores, givingUp));
            if (waited != null) {
                waits.done(sourceKey);
            }
        } catch (ParentNotSynced e) {
            parentNotSynced(record, e, sourceKey, madeBySync, waited);
        } catch (RuntimeException e) {
            if (!Failures.isRecordFailure(e)) {
                throw e;
            }
            if (waited != null) {
                waits.done(sourceKey);
            }
            if (madeBySync) {
                // an echo of dualsync's own write: nothing to propagate, nothing for an operator to fix
                log.debug("flow {}: skipped an unmappable sync-made change at {}: {}", flow.name(), where(), Failures.reason(e));
                return;
            }
            deadLetter(record, e);
        }
    }

    /** A reference could not be translated: the change waits, is skipped or is dead-lettered ({@link Couplings}). */
    private void parentNotSynced(Record<byte[], byte[]> record, ParentNotSynced e, String sourceKey, boolean madeBySync,
                                 WaitingChange waited) {
        if (madeBySync) {
            log.debug("flow {}: skipped a sync-made change at {}: {}", flow.name(), where(), e.getMessage());
            return;
        }
        switch (e.action()) {
            case WAIT -> {
                if (waited == null) {
                    log.debug("flow {}: change at {} waits for its parent", flow.name(), where());
                    waits.start(sourceKey, record, origin, context.currentSystemTimeMs() + e.maxWait().toMillis());
                }
            }
            case SKIP -> {
                waits.done(sourceKey);
                suppressions.count(flow.map().name(), flow.name(), Suppressions.Reason.PARENT_NOT_SYNCED, where());
            }
            case DEAD_LETTER -> {
                waits.done(sourceKey);
                deadLetter(record, e);
            }
        }
    }

    private void deadLetter(Record<byte[], byte[]> record, RuntimeException e) {
        log.warn("flow {}: change at {} sent to {}: {}", flow.name(), where(), flow.deadLetterTopic(), Failures.reason(e));
        context.forward(DeadLetters.of(record, e, flow.map().name(), Optional.ofNullable(origin),
                Instant.ofEpochMilli(context.currentSystemTimeMs())), flow.deadLetterSinkName());
        suppressions.deadLettered(flow.map().name());
    }

    /** Tries every waiting change again; one whose deadline has passed gets its reference's outcome. */
    private void retryWaiting(long now) {
        for (var waiting : waits.all()) {
            handle(waiting.value.record(), waiting.value.origin(), waiting.value);
        }
    }

    private void map(RawChange change, Record<byte[], byte[]> record, boolean madeBySync, Couplings couplings) {
        Link previous = links.get(change.sourceKey());
        if (madeBySync) {
            suppressions.count(flow.map().name(), flow.name(), Suppressions.Reason.ORIGIN_SYNC, where());
            if (flow.coupled()) {
                observeSyncWrite(change, previous, record.timestamp(), couplings);
            }
            keep(change.sourceKey(), previous, mapper.linkAfterSyncWrite(change, previous, couplings));
            return;
        }
        FlowMapper.Outcome outcome = mapper.decide(change, previous, couplings);
        if (outcome.skipped() != null) {
            suppressions.count(flow.map().name(), flow.name(), outcome.skipped(), where());
        }
        if (flow.coupled()) {
            sendCoupled(change, previous, outcome, record.timestamp());
        } else {
            // encode every change before forwarding any, so a failure emits nothing half-way
            List<Record<Object, Object>> out = new ArrayList<>(outcome.changes().size());
            for (MappedChange c : outcome.changes()) {
                out.add(new Record<>(codec.encodeKey(c), codec.encodeValue(c), record.timestamp()));
            }
            out.forEach(r -> context.forward(r, flow.mappedSinkName()));
        }
        keep(change.sourceKey(), previous, outcome.link());
    }

    /** Tells the echo filter what a change dualsync wrote into this side means for both sides' images. */
    private void observeSyncWrite(RawChange change, Link previous, long timestamp, Couplings couplings) {
        if (change.op() == RawChange.Op.DELETE) {
            if (previous != null && previous.coupledKey() != null) {
                toEchoFilter(previous.coupledKey(), new CoupledChange(flow.from().label(), true,
                        CoupledChange.ABSENT, CoupledChange.ABSENT, null), timestamp);
            }
            return;
        }
        mapper.mirror(change.after(), couplings).ifPresent(m -> toEchoFilter(m.getKey(), new CoupledChange(flow.from().label(), true,
                mapper.sourceImageHash(change.after()), m.getValue(), null), timestamp));
    }

    /** Sends a user change's mapped records, or only this side's new image, through the map's echo filter. */
    private void sendCoupled(RawChange change, Link previous, FlowMapper.Outcome outcome, long timestamp) {
        boolean deleted = change.op() == RawChange.Op.DELETE;
        String holds = deleted ? CoupledChange.ABSENT : mapper.sourceImageHash(change.after());
        long committed = ChronoUnit.MICROS.between(Instant.EPOCH, change.sourceCommitTime());
        String endpoint = flow.sourceTable().endpoint();
        boolean snapshot = change.op() == RawChange.Op.SNAPSHOT_READ;
        if (outcome.changes().isEmpty()) {
            // nothing to send, but the filter must still learn what this side now holds: a change of the
            // other side on its way here would otherwise wait at apply for an image this side left
            // (a row that left scope still takes the other side's changes: the target filter is not applied)
            boolean imageOnly = outcome.skipped() == Suppressions.Reason.UNCHANGED
                    || outcome.skipped() == Suppressions.Reason.OUT_OF_SCOPE;
            if (imageOnly && outcome.link() != null && outcome.link().coupledKey() != null) {
                toEchoFilter(outcome.link().coupledKey(), new CoupledChange(flow.from().label(), false, holds, null, null,
                        committed, endpoint, snapshot), timestamp);
            }
            return;
        }
        // encode every change before forwarding any, so a failure emits nothing half-way
        List<Map.Entry<String, CoupledChange>> out = new ArrayList<>(outcome.changes().size());
        for (MappedChange c : outcome.changes()) {
            boolean upsert = c.operation() == Operation.UPSERT;
            String coupledKey = flow.from() == Side.A ? mapper.coupledKeyOfTarget(c.key())
                    : upsert ? outcome.link().coupledKey() : previous.coupledKey();
            byte[] key = mappedKeys.serialize(flow.mappedTopic(), codec.encodeKey(c));
            byte[] value = mappedValues.serialize(flow.mappedTopic(), codec.encodeValue(c));
            if (coupledKey == null) {
                // a link written before this map flowed both ways: no coupled key to filter by
                context.forward(new Record<>(key, value, timestamp), flow.mappedSinkName());
                continue;
            }
            String hash = upsert ? mapper.targetImageHash(c.columns()) : CoupledChange.ABSENT;
            out.add(Map.entry(coupledKey, new CoupledChange(flow.from().label(), false,
                    upsert ? holds : CoupledChange.ABSENT, null, new CoupledChange.Emit(hash, key, value), committed, endpoint, snapshot,
                    change.resync())));
        }
        out.forEach(e -> toEchoFilter(e.getKey(), e.getValue(), timestamp));
    }

    private void toEchoFilter(String coupledKey, CoupledChange change, long timestamp) {
        context.forward(new Record<>(coupledKey, change, timestamp), flow.coupledSinkName());
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
        Optional<RecordMetadata> m = Optional.ofNullable(origin);
        return m.map(r -> r.topic() + "-" + r.partition() + " offset " + r.offset()).orElse("an unknown offset");
    }

    @Override
    public void close() {
        if (reader != null) {
            reader.close();
        }
    }
}
