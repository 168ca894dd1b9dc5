package io.dualsync.transform;

import io.dualsync.contract.CanonicalText;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Publishes one side of a referenced map to the map's couplings ({@code dualsync.couplings.<map>},
 * see {@link CouplingEntries}): for every change of the side's table, user-made or made by
 * dualsync, the row's coupled key, its identifiers in the referenced columns and whether it is in
 * scope; a delete retracts them. It reads the same raw records as the flow's mapping processor.
 *
 * <p>Why a compacted topic read into a global store rather than a local store: a child and its
 * parent are keyed by different columns, so the child's change and its parent's coupling sit on
 * different partitions, often in different tasks. Every instance therefore holds every coupling;
 * the topic is the store's changelog, so a restart restores it. Entries are a few per parent row.
 *
 * <p>A change whose key cannot be mapped publishes nothing (the mapping processor dead-letters
 * it). Logs never show values.
 */
final class CouplingProcessor implements Processor<byte[], byte[], String, String> {

    private static final Logger log = LoggerFactory.getLogger(CouplingProcessor.class);

    private final Flow flow;
    private final RawChangeDecoder decoder;
    private final FlowMapper mapper;
    private final List<String> columns;
    private final AvroSerdes serdes;

    private ProcessorContext<String, String> context;
    private KeyValueStore<String, CouplingRow> rows;
    private RawRecordReader reader;

    /** @param columns the source side's referenced columns: those any reference to this map names on this side */
    CouplingProcessor(Flow flow, RawChangeDecoder decoder, FlowMapper mapper, List<String> columns, AvroSerdes serdes) {
        this.flow = flow;
        this.decoder = decoder;
        this.mapper = mapper;
        this.columns = List.copyOf(columns);
        this.serdes = serdes;
    }

    @Override
    public void init(ProcessorContext<String, String> context) {
        this.context = context;
        this.rows = context.getStateStore(flow.couplingRowsStoreName());
        this.reader = new RawRecordReader(flow, decoder, serdes);
    }

    @Override
    public void process(Record<byte[], byte[]> record) {
        if (record.value() == null) {
            return;
        }
        try {
            RawChange change = reader.read(record);
            CouplingRow before = rows.get(change.sourceKey());
            CouplingRow after = change.op() == RawChange.Op.DELETE ? null : row(change.after());
            for (KeyValue<String, String> entry : CouplingRow.changes(flow.from(), before, after)) {
                context.forward(new Record<>(entry.key, entry.value, record.timestamp()), flow.couplingsSinkName());
            }
            if (after == null) {
                rows.delete(change.sourceKey());
            } else {
                rows.put(change.sourceKey(), after);
            }
        } catch (RuntimeException e) {
            if (!Failures.isRecordFailure(e)) {
                throw e;
            }
            log.debug("flow {}: a change at {} publishes no coupling: {}", flow.name(),
                    context.recordMetadata().map(m -> m.topic() + "-" + m.partition() + " offset " + m.offset()).orElse("?"),
                    Failures.reason(e));
        }
    }

    private CouplingRow row(Map<String, Object> after) {
        Map<String, String> identifiers = new LinkedHashMap<>();
        columns.forEach(c -> identifiers.put(c, CanonicalText.format(after.get(c))));
        return new CouplingRow(mapper.coupledKey(after), identifiers, mapper.inScope(after));
    }

    @Override
    public void close() {
        if (reader != null) {
            reader.close();
        }
    }
}
