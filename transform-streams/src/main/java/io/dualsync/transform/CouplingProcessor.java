package io.dualsync.transform;

import io.dualsync.config.ParentFilter;
import io.dualsync.config.TableRef;
import io.dualsync.contract.RereadRequest;

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
    private final List<ParentFilter> childFilters;
    /** references to this map whose outcome depends on the parent being in its map's scope */
    private final List<ParentFilter> scopeFollowers;
    /** the columns of this side's rows that child filters test */
    private final List<String> tested;
    private final AvroSerdes serdes;

    private ProcessorContext<String, String> context;
    private KeyValueStore<String, CouplingRow> rows;
    private RawRecordReader reader;

    /**
     * @param columns       the source side's referenced columns: those any reference to this map names on this side
     * @param childFilters  the child filters that test this side's rows (parents); empty for none
     * @param scopeFollowers the references to this map whose children depend on the parent's scope
     *                       ({@link ParentFilter#onParentScope}); empty for none
     */
    CouplingProcessor(Flow flow, RawChangeDecoder decoder, FlowMapper mapper, List<String> columns,
                      List<ParentFilter> childFilters, List<ParentFilter> scopeFollowers, AvroSerdes serdes) {
        this.flow = flow;
        this.decoder = decoder;
        this.mapper = mapper;
        this.columns = List.copyOf(columns);
        this.childFilters = List.copyOf(childFilters);
        this.scopeFollowers = List.copyOf(scopeFollowers);
        this.tested = ParentFilter.testedColumns(childFilters);
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
            rereadChildrenWhoseScopeChanged(before, after, record.timestamp());
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
        Map<String, Object> testedValues = new LinkedHashMap<>();
        for (String c : tested) {
            Object value = after.get(c);
            testedValues.put(c, value == null || value instanceof Number || value instanceof Boolean ? value : CanonicalText.format(value));
        }
        return new CouplingRow(mapper.coupledKey(after), identifiers, mapper.inScope(after), testedValues);
    }

    /**
     * When a parent's change lets a child filter through where it did not (a changed tested column)
     * or the reverse, or moves the parent into or out of its map's scope where a reference's outcome
     * depends on that ({@code empty}, {@code skip}, {@code dead-letter}), asks the child's capture to read that parent's children again
     * ({@link RereadRequest}): read again, each child's scope is decided anew, so the children follow
     * their parent into scope (sent in full) and out of it (by the child map's {@code leavesScope}).
     * A new parent asks nothing: its children waited for it (as for a reference), which also keeps
     * an initial sync from reading the child table once per parent.
     */
    private void rereadChildrenWhoseScopeChanged(CouplingRow before, CouplingRow after, long timestamp) {
        if (before == null) {
            return;
        }
        for (ParentFilter filter : childFilters) {
            boolean admitted = filter.admits(before.tested());
            boolean admits = after != null && filter.admits(after.tested());
            if (admitted != admits) {
                reread(filter, before, after, timestamp);
            }
        }
        for (ParentFilter follower : scopeFollowers) {
            if (before.inScope() != (after != null && after.inScope())) {
                reread(follower, before, after, timestamp);
            }
        }
    }

    private void reread(ParentFilter filter, CouplingRow before, CouplingRow after, long timestamp) {
        String identifier = (after != null ? after : before).values().get(filter.parentColumn());
        if (identifier == null) {
            return;
        }
        TableRef children = filter.child().table(filter.side());
        RereadRequest request = new RereadRequest(children, filter.referenceField(), identifier);
        context.forward(new Record<>(children.endpoint(), request.toJson(), timestamp), flow.rereadSinkName());
        log.debug("flow {}: a parent's change moves children of map '{}' in or out of scope: {} read again",
                flow.name(), filter.child().name(), children.qualifiedName());
    }

    @Override
    public void close() {
        if (reader != null) {
            reader.close();
        }
    }
}
