package io.dualsync.transform;

import io.dualsync.contract.CanonicalText;

import io.dualsync.catalog.TableSchema;
import io.dualsync.config.LeavesScope;
import io.dualsync.contract.MappedChange;
import io.dualsync.contract.Operation;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Decides what one source change means for the target of a flow, given what the flow last
 * emitted for that source row (its {@link Link}). Pure: no Kafka, no store; the processor looks
 * the link up and writes back {@link Outcome#link()}.
 * <ul>
 *   <li>insert, update or snapshot read of an in-scope row: an upsert of the target key with
 *       every mapped column, unless the target key and image equal the link's (no-op
 *       suppression: an update that touched only unmapped columns goes nowhere; not for a
 *       resync read, {@link RawChange#resync()}, which is sent whatever the flow sent before); when
 *       the target key changed, a delete of the old target key first;</li>
 *   <li>a row not in scope after the change (README, "Scope changes"): under {@code leavesScope:
 *       keep} nothing, and the link stays, marked out of scope (the coupled row keeps its last synced
 *       state); under {@code leavesScope: delete} a delete of the linked target key (which apply
 *       carries out by the map's {@code deletes} policy), and the link goes. Either way, when the
 *       row comes back into scope its full image is sent, even if it equals the one last sent;</li>
 *   <li>delete: a delete of the linked target key, or nothing if the row was never synced.</li>
 * </ul>
 */
final class FlowMapper {

    /**
     * What to emit, in order, and the link to keep afterwards (null: none); when nothing is
     * emitted, why not.
     */
    record Outcome(List<MappedChange> changes, Link link, Suppressions.Reason skipped) {
        Outcome {
            changes = List.copyOf(changes);
        }

        Outcome(List<MappedChange> changes, Link link) {
            this(changes, link, null);
        }

        static Outcome nothing(Link unchanged, Suppressions.Reason reason) {
            return new Outcome(List.of(), unchanged, reason);
        }
    }

    private final Flow flow;
    private final Scope scope;
    private final RowMapper rows;
    private final TableSchema target;
    private final String sourceEndpoint;
    private final boolean coupled;
    /** The source columns the opposite flow writes, in source table order (coupled flows only). */
    private final List<String> writtenIntoSource;
    private final List<String> calendarGuarded;
    private final io.dualsync.config.KeyMatching matching;
    private final List<String> sourceKeyColumns;
    private final List<String> targetKeyColumns;
    private final LeavesScope leavesScope;

    /**
     * @param calendarGuarded source columns whose pre-1582 timestamps in snapshot reads are refused
     *                        ({@link SnapshotCalendarGuard}); empty where the source reads them exactly
     */
    FlowMapper(Flow flow, Scope scope, RowMapper rows, TableSchema target, List<String> writtenIntoSource,
               List<String> calendarGuarded) {
        this.calendarGuarded = List.copyOf(calendarGuarded);
        this.flow = flow;
        this.scope = scope;
        this.rows = rows;
        this.target = target;
        this.sourceEndpoint = flow.sourceTable().endpoint();
        this.coupled = flow.coupled();
        this.writtenIntoSource = List.copyOf(writtenIntoSource);
        this.matching = flow.map().keyMatching();
        this.sourceKeyColumns = flow.map().keyColumns(flow.from());
        this.targetKeyColumns = flow.map().keyColumns(flow.to());
        this.leavesScope = flow.map().leavesScope();
    }

    FlowMapper(Flow flow, Scope scope, RowMapper rows, TableSchema target) {
        this(flow, scope, rows, target, List.of(), rows.sourceColumns());
    }

    /**
     * The coupled key of a row of a bidirectional map: the row key (see
     * {@link CanonicalText#rowKey}) of the map's key values as side B holds them. From B that is
     * the source row's own key columns; from A it is the target key the row maps to. Both flows
     * of a map therefore give coupled rows the same key.
     */
    String coupledKey(Map<String, Object> sourceRow, RowMapper.TargetRow row) {
        return coupledKey(sourceRow, row.key());
    }

    /**
     * {@link #coupledKey(Map, RowMapper.TargetRow)} from the key columns alone, so a row whose
     * references cannot be translated still has its coupled key.
     *
     * @throws MappingException when a key column cannot be mapped
     */
    String coupledKey(Map<String, Object> sourceRow) {
        return coupledKey(sourceRow, flow.from() == io.dualsync.config.Side.A ? rows.key(sourceRow) : Map.of());
    }

    private String coupledKey(Map<String, Object> sourceRow, Map<String, Object> targetKey) {
        if (flow.from() == io.dualsync.config.Side.A) {
            return coupledKeyOfTarget(targetKey);
        }
        List<Object> values = new ArrayList<>();
        flow.map().key().forEach(k -> values.add(matching.comparable(sourceRow.get(k.b()))));
        return CanonicalText.rowKey(values);
    }

    /**
     * For a flow from A: the coupled key of the target key a change goes to. Key values are taken in
     * the form the map's {@code keyMatching} compares them in, so rows coupled despite different
     * spellings of their keys meet under one coupled key.
     */
    String coupledKeyOfTarget(Map<String, Object> targetKey) {
        List<Object> values = new ArrayList<>(targetKey.size());
        targetKey.values().forEach(v -> values.add(matching.comparable(v)));
        return CanonicalText.rowKey(values);
    }

    /**
     * Hash of an image in the target's mapped columns, comparable with the hash of the image the
     * target side reports of itself (key values in their {@code keyMatching} form).
     */
    String targetImageHash(Map<String, Object> columns) {
        return CanonicalText.rowHash(matching.comparableImage(columns, targetKeyColumns));
    }

    /**
     * Hash of the image the source side holds, in the columns the opposite flow writes into it;
     * null when the event lacks one of them. Comparable with the hash of a change the opposite
     * flow maps toward this side.
     */
    String sourceImageHash(Map<String, Object> sourceRow) {
        Map<String, Object> image = new LinkedHashMap<>();
        for (String column : writtenIntoSource) {
            if (!sourceRow.containsKey(column)) {
                return null;
            }
            image.put(column, sourceRow.get(column));
        }
        return CanonicalText.rowHash(matching.comparableImage(image, sourceKeyColumns));
    }

    /**
     * For a change dualsync wrote into the source side: its coupled key and the hash of the image
     * the other side held (the row mapped back); empty when the row cannot be mapped.
     */
    java.util.Optional<Map.Entry<String, String>> mirror(Map<String, Object> sourceRow, Couplings couplings) {
        try {
            RowMapper.TargetRow row = rows.map(sourceRow, couplings);
            return java.util.Optional.of(Map.entry(coupledKey(sourceRow, row), targetImageHash(row.columns())));
        } catch (MappingException | ParentNotSynced e) {
            return java.util.Optional.empty();
        }
    }

    /** As {@link #decide(RawChange, Link, Couplings)} for a flow without references. */
    Outcome decide(RawChange change, Link previous) {
        return decide(change, previous, Couplings.NONE);
    }

    /** Whether a source row image is in the map's scope on this flow's source side. */
    boolean inScope(Map<String, Object> sourceRow) {
        return scope.includes(sourceRow);
    }

    /**
     * @param previous  what the flow last emitted for this source row, or null
     * @param couplings where the flow's references are translated
     * @throws MappingException when the change cannot be mapped
     * @throws ParentNotSynced  when a reference cannot be translated (yet)
     */
    Outcome decide(RawChange change, Link previous, Couplings couplings) {
        return switch (change.op()) {
            case CREATE, UPDATE, SNAPSHOT_READ -> upsert(change, previous, couplings);
            case DELETE -> delete(change, previous);
        };
    }

    /**
     * The link to keep after a change dualsync itself made on the source side, which propagates
     * nothing: as {@link #decide}'s, except that a row the change moved out of scope stays linked
     * (marked out of scope) whatever {@code leavesScope} says, since no delete is sent for it.
     */
    Link linkAfterSyncWrite(RawChange change, Link previous, Couplings couplings) {
        if (change.op() != RawChange.Op.DELETE && previous != null && !scope.includes(change.after(), couplings)) {
            return previous.leftScope();
        }
        return decide(change, previous, couplings).link();
    }

    private Outcome upsert(RawChange change, Link previous, Couplings couplings) {
        if (!scope.includes(change.after(), couplings)) {
            return leftScope(change, previous);
        }
        SnapshotCalendarGuard.check(change, calendarGuarded);
        RowMapper.TargetRow row = rows.map(change.after(), couplings);
        Link link = Link.of(row, coupled ? coupledKey(change.after(), row) : null);
        boolean backInScope = previous != null && previous.outOfScope();
        if (link.equals(previous) && !change.resync() && !backInScope) {
            return Outcome.nothing(previous, Suppressions.Reason.UNCHANGED);
        }
        List<MappedChange> changes = new ArrayList<>(2);
        String company = scope.companyId(change.after());
        // a key spelled differently but matching under keyMatching is the same target row: no delete
        if (previous != null && !sameKey(previous.targetKey(), link.targetKey())) {
            changes.add(change(Operation.DELETE, change, company, targetKey(previous), Map.of()));
        }
        changes.add(change(Operation.UPSERT, change, company, row.key(), row.columns()));
        return new Outcome(changes, link);
    }

    /** A row out of scope after the change: what the map's {@code leavesScope} does to its coupled row. */
    private Outcome leftScope(RawChange change, Link previous) {
        if (previous == null) {
            return Outcome.nothing(null, Suppressions.Reason.OUT_OF_SCOPE);
        }
        if (leavesScope == LeavesScope.DELETE) {
            return new Outcome(List.of(change(Operation.DELETE, change, scope.companyId(change.after()),
                    targetKey(previous), Map.of())), null);
        }
        return Outcome.nothing(previous.leftScope(), Suppressions.Reason.OUT_OF_SCOPE);
    }

    private boolean sameKey(Map<String, String> x, Map<String, String> y) {
        if (!x.keySet().equals(y.keySet())) {
            return false;
        }
        for (Map.Entry<String, String> e : x.entrySet()) {
            if (!java.util.Objects.equals(matching.comparable(e.getValue()), matching.comparable(y.get(e.getKey())))) {
                return false;
            }
        }
        return true;
    }

    private Outcome delete(RawChange change, Link previous) {
        if (previous == null) {
            return Outcome.nothing(null, Suppressions.Reason.NEVER_SYNCED);
        }
        MappedChange delete = change(Operation.DELETE, change, scope.companyId(change.before()), targetKey(previous), Map.of());
        return new Outcome(List.of(delete), null);
    }

    private MappedChange change(Operation op, RawChange change, String company, Map<String, Object> key,
                                Map<String, Object> columns) {
        return new MappedChange(op, flow.map().name(), flow.targetTable().qualifiedName(), sourceEndpoint,
                change.sourcePosition(), change.sourceTxId(), change.sourceCommitTime(), company, key, columns);
    }

    /** The linked target key read back into canonical values of the target key columns. */
    private Map<String, Object> targetKey(Link link) {
        Map<String, Object> key = new LinkedHashMap<>();
        link.targetKey().forEach((column, text) -> {
            try {
                key.put(column, CanonicalText.parse(text, target.requireColumn(column).type()));
            } catch (RuntimeException e) {
                // e.g. the target column's type changed since the link was written; the message may quote the text
                throw MappingException.column(column, "the stored target key no longer reads as "
                        + target.column(column).map(c -> c.type().toString()).orElse("a column of " + target.ref()));
            }
        });
        return key;
    }
}
