package io.dualsync.transform;

import io.dualsync.config.Side;
import io.dualsync.config.TableMap;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * The second line of loop suppression for one bidirectional map (design.md): fed by both flows
 * of the map through {@code dualsync.coupled.<map>}, keyed by the coupled key, it keeps per row
 * the last synced image of both sides ({@link SideImages}) and drops a change whose mapped image
 * equals the recorded image of its destination: an echo of dualsync's own write that the capture
 * marker missed stops at once. What it lets through goes, bytes unchanged, to the mapped topic
 * of the destination; what it records:
 * <ul>
 *   <li>a user change from X: X holds its new image; Y will hold the image sent to it;</li>
 *   <li>a change dualsync wrote into X: X holds it, and Y held the image it came from (which also
 *       corrects the record when the apply on Y kept Y's own value after a conflict).</li>
 * </ul>
 */
final class EchoFilterProcessor implements Processor<String, CoupledChange, Object, Object> {

    private final TableMap map;
    private final Flow aToB;
    private final Flow bToA;
    private final Suppressions suppressions;
    private ProcessorContext<Object, Object> context;
    private KeyValueStore<String, SideImages> images;

    EchoFilterProcessor(Flow aToB, Flow bToA, Suppressions suppressions) {
        this.map = aToB.map();
        this.aToB = aToB;
        this.bToA = bToA;
        this.suppressions = suppressions;
    }

    @Override
    public void init(ProcessorContext<Object, Object> context) {
        this.context = context;
        this.images = context.getStateStore(aToB.imagesStoreName());
    }

    @Override
    public void process(Record<String, CoupledChange> record) {
        CoupledChange change = record.value();
        if (change == null || record.key() == null) {
            return;
        }
        Side from = "a".equals(change.from()) ? Side.A : Side.B;
        Side to = from.other();
        Flow flow = from == Side.A ? aToB : bToA;
        SideImages known = images.get(record.key());
        SideImages next = known == null ? SideImages.UNKNOWN : known;
        if (change.madeBySync()) {
            next = next.with(from, change.holds()).with(to, change.mirrors());
        } else {
            CoupledChange.Emit emit = change.emit();
            if (emit != null) {
                if (emit.hash() != null && emit.hash().equals(next.of(to))) {
                    suppressions.count(map.name(), flow.name(), Suppressions.Reason.ECHO, where());
                } else {
                    context.forward(new Record<>(emit.key(), emit.value(), record.timestamp()), flow.mappedSinkName());
                    next = next.with(to, emit.hash());
                }
            }
            next = next.with(from, change.holds());
        }
        if (!next.equals(known)) {
            images.put(record.key(), next);
        }
    }

    private String where() {
        return context.recordMetadata().map(m -> m.topic() + "-" + m.partition() + " offset " + m.offset()).orElse("an unknown offset");
    }
}
