package io.dualsync.transform;

import io.dualsync.config.ConflictPolicy;
import io.dualsync.config.Side;
import io.dualsync.contract.Headers;
import java.nio.charset.StandardCharsets;
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
 *   <li>a change dualsync wrote into X: X holds it, and (under {@code fail}, or when nothing is known
 *       of Y yet) Y held the image it came from, which corrects the record when Y kept its own
 *       value after a conflict; it confirms the change in flight to X, if it is that one.</li>
 * </ul>
 * It also detects changes both sides made concurrently and, unless the policy is {@code fail},
 * settles them ({@link #route}).
 */
final class EchoFilterProcessor implements Processor<String, CoupledChange, Object, Object> {

    private final TableMap map;
    private final Flow aToB;
    private final Flow bToA;
    private final Suppressions suppressions;
    /** whether the filter settles live concurrent changes itself (every policy but {@code fail}) */
    private final boolean arbitrating;
    private ProcessorContext<Object, Object> context;
    private KeyValueStore<String, SideImages> images;

    EchoFilterProcessor(Flow aToB, Flow bToA, Suppressions suppressions) {
        this.map = aToB.map();
        this.aToB = aToB;
        this.bToA = bToA;
        this.suppressions = suppressions;
        this.arbitrating = map.conflicts().kind() != ConflictPolicy.Kind.FAIL;
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
        SideImages known = images.get(record.key());
        SideImages next = known == null ? SideImages.UNKNOWN : known;
        if (change.madeBySync()) {
            SideImages.Sent inFlight = next.sentTo(from);
            // a newer change is on its way to this side: it will hold that one, not this older write
            boolean newerOnItsWay = inFlight != null && change.holds() != null && !inFlight.hash().equals(change.holds());
            // under fail, what the other side held when it sent this write corrects the unconfirmed
            // assumption that it took what was last sent to it (it keeps its own on a conflict); otherwise
            // the filter knows better, and that side's later changes, arriving through another flow,
            // must not be undone
            boolean useMirror = next.of(to) == null || (!arbitrating && next.sentTo(to) != null);
            next = next.with(from, newerOnItsWay ? null : change.holds()).with(to, useMirror ? change.mirrors() : null);
            if (inFlight != null && !newerOnItsWay) {
                next = next.sending(from, null);
            }
        } else {
            next = route(record, change, from, to, next);
        }
        if (next.gone()) {
            // both sides deleted the row and confirmed it: nothing left to remember
            if (known != null) {
                images.delete(record.key());
            }
        } else if (!next.equals(known)) {
            images.put(record.key(), next);
        }
    }

    /**
     * A user change. When the other side's last change to this row is still in flight to this side
     * (not confirmed by dualsync's write of it coming back) and differs from what this side now
     * holds, both sides changed the row concurrently. Under {@code latest-wins} and
     * {@code <endpoint>-wins} the filter arbitrates: a losing change goes nowhere and the winner is
     * sent again, against the loser's image, so that apply overwrites it; from then on the loser's
     * side is recorded as holding the winner (a change with nothing to send, one that touched no
     * mapped column, loses the same way). Every change sent goes
     * with the image its destination is known to hold ({@link Headers#ARBITRATED_TARGET_HASH}): a
     * destination row holding exactly that is no conflict; anything else is a local change on its way
     * here (arbitrated when it arrives) or, under {@code fail}, a conflict for an operator. Under
     * {@code fail} a concurrent change goes without it, and apply finds the conflict.
     */
    private SideImages route(Record<String, CoupledChange> record, CoupledChange change, Side from, Side to,
                             SideImages next) {
        SideImages.Sent inFlight = next.sentTo(from);
        boolean firstSync = next.of(Side.A) == null && next.of(Side.B) == null;
        if (staleRead(change, inFlight)) {
            suppressions.count(map.name(), flowFrom(from).name(), Suppressions.Reason.STALE_READ, where());
            return next;
        }
        if (change.snapshot() && inFlight != null && inFlight.hash().equals(change.holds())) {
            // the side holds the change on its way: dualsync wrote it where no capture saw it (while capture
            // was down, before a snapshot taken again), so no marked write will confirm it; this read does
            next = next.sending(from, null);
            inFlight = null;
        }
        boolean concurrent = inFlight != null && change.holds() != null && !inFlight.hash().equals(change.holds());
        boolean settles = concurrent && settles(inFlight, change);
        CoupledChange.Emit emit = change.emit();
        // a concurrent change with nothing to send (its mapped image toward the other side is unchanged)
        // cannot win: the change in flight to its side still has to land there
        if (settles && (emit == null || inFlightWins(inFlight, change))) {
            if (emit != null) {
                suppressions.count(map.name(), flowFrom(from).name(), Suppressions.Reason.CONFLICT_LOST, where());
            }
            forward(inFlight.key(), inFlight.value(), record.timestamp(), flowFrom(to), change.holds());
            // this side will hold the winner once that is applied, not its own change: whatever is sent
            // to it from now on goes against the winner's image (recording the loser's image here made a
            // later change of the winning side wait forever for an image the side never held again)
            return next.with(from, inFlight.hash());
        }
        if (emit == null) {
            return next.with(from, change.holds());
        }
        if (emit.hash() != null && emit.hash().equals(next.of(to)) && change.resync()) {
            // a resync: the destination is known to hold this image, but the operator asks because it
            // may not (edited where dualsync does not see it). Sent without the known image, so apply
            // checks the row against the image of the last sync: a row that still holds it is left as
            // it is (an identical upsert writes nothing), one that differs is a conflict the map's
            // policy settles. Not recorded as in flight: a row already equal sends nothing back.
            forward(emit.key(), emit.value(), record.timestamp(), flowFrom(from), null);
        } else if (emit.hash() != null && emit.hash().equals(next.of(to))) {
            suppressions.count(map.name(), flowFrom(from).name(), Suppressions.Reason.ECHO, where());
        } else {
            forward(emit.key(), emit.value(), record.timestamp(), flowFrom(from), concurrent && !settles ? null : next.of(to));
            next = next.with(to, emit.hash()).sending(to,
                    new SideImages.Sent(emit.hash(), emit.key(), emit.value(), change.commitTime(), change.endpoint(),
                            change.snapshot(), firstSync));
        }
        if (settles) {
            // the other side's change lost; its apply on this side finds this side's image and leaves it
            next = next.sending(from, null);
        }
        return next.with(from, change.holds());
    }

    /**
     * Whether a snapshot read is older than the other side's change still on its way to the row: that
     * change brings both sides together, and the read is no user change to be sent or arbitrated.
     * A resync read (incremental snapshot) is stale against any such change. So is a first-snapshot
     * read, unless the change on its way is the row's first sync: Debezium takes its first snapshot
     * again when capture lost its position (stopped before its first offset commit, offsets deleted),
     * and that snapshot reads the rows dualsync wrote, in the state of that moment, which may be older
     * than what is on its way to them (sent back, it would be a false conflict, or overwrite the other
     * side's newer row). Against the row's first sync, the read is a row both sides held before
     * dualsync, which the map's {@code initialSync} settles. Not told apart: a user's change of that row in the second before
     * capture died, while the other side's change was on its way; under {@code fail} apply reports it
     * as a conflict when that change arrives, under the other policies it is lost to that change.
     */
    private static boolean staleRead(CoupledChange change, SideImages.Sent inFlight) {
        return change.snapshot() && inFlight != null && !inFlight.hash().equals(change.holds())
                && (change.resync() || !inFlight.firstSync());
    }

    /** Whether the filter settles these two concurrent changes: under every policy but fail, and for first-sync rows. */
    private boolean settles(SideImages.Sent inFlight, CoupledChange change) {
        return map.conflicts().kind() != ConflictPolicy.Kind.FAIL
                || (map.initialSyncWinner().isPresent() && (inFlight.snapshot() || change.snapshot()));
    }

    /** Whether the change in flight wins over a concurrent user change, by the map's policy. */
    private boolean inFlightWins(SideImages.Sent inFlight, CoupledChange change) {
        if (map.initialSyncWinner().isPresent() && (inFlight.snapshot() || change.snapshot())) {
            // a row both sides held before dualsync: the side the map names authoritative wins
            return map.initialSyncWinner().get().equals(inFlight.endpoint());
        }
        return switch (map.conflicts().kind()) {
            case LATEST_WINS -> inFlight.winsOver(change.commitTime(), change.endpoint());
            case ENDPOINT_WINS -> map.conflicts().winningEndpoint().orElseThrow().equals(inFlight.endpoint());
            // fail: the filter only arbitrates first-sync rows (above)
            case FAIL -> false;
        };
    }

    private Flow flowFrom(Side side) {
        return side == Side.A ? aToB : bToA;
    }

    /** Forwards a mapped record to the flow's mapped topic, with the destination image it was arbitrated against. */
    private void forward(byte[] key, byte[] value, long timestamp, Flow flow, String destinationHash) {
        Record<Object, Object> out = new Record<>(key, value, timestamp);
        if (destinationHash != null) {
            out.headers().add(Headers.ARBITRATED_TARGET_HASH, destinationHash.getBytes(StandardCharsets.UTF_8));
        }
        context.forward(out, flow.mappedSinkName());
    }

    private String where() {
        return context.recordMetadata().map(m -> m.topic() + "-" + m.partition() + " offset " + m.offset()).orElse("an unknown offset");
    }
}
