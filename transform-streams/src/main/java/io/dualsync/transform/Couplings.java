package io.dualsync.transform;

import io.dualsync.config.Reference;
import io.dualsync.config.Side;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

import java.util.Map;

/**
 * Translates a reference through its map's couplings store (see {@link CouplingEntries}): a
 * parent identifier on the child's source side to the coupled parent's identifier on the target
 * side. A parent that is not known on both sides gives the reference's {@link Reference.ParentMissing}
 * outcome: one on its way (unknown on the source side, or not yet on the target side) is waited
 * for, unless the change has waited long enough ({@code givingUp}); one out of scope on the source
 * side gives the outcome at once, except {@code wait}, which waits for it to come into scope.
 */
final class Couplings {

    /** For flows without references: never asked. */
    static final Couplings NONE = new Couplings(Map.of(), false);

    private final Map<String, ReadOnlyKeyValueStore<String, String>> storesByMap;
    private final boolean givingUp;

    /**
     * @param storesByMap the couplings store of each referenced map
     * @param givingUp    the change has waited its maximum: a parent still on its way counts as not synced
     */
    Couplings(Map<String, ReadOnlyKeyValueStore<String, String>> storesByMap, boolean givingUp) {
        this.storesByMap = Map.copyOf(storesByMap);
        this.givingUp = givingUp;
    }

    /**
     * @param value the child's identifier in canonical text (not null)
     * @return the identifier on the other side in canonical text; null when the outcome is an empty reference
     * @throws ParentNotSynced when the change must wait, be skipped or be dead-lettered
     */
    String translate(Reference ref, Side from, String value, String targetColumn) {
        ReadOnlyKeyValueStore<String, String> store = storesByMap.get(ref.map());
        if (store == null) {
            throw new IllegalStateException("no couplings store for map '" + ref.map() + "'");
        }
        Side to = from.other();
        String coupledKey = store.get(CouplingEntries.byValue(from, ref.column(from), value));
        if (coupledKey == null) {
            return onTheWay(ref, targetColumn, "is not known on side " + from.label());
        }
        if (coupledKey.equals(CouplingEntries.OUT_OF_SCOPE)) {
            return outOfScope(ref, targetColumn, from);
        }
        String translated = store.get(CouplingEntries.byRow(to, ref.column(to), coupledKey));
        return translated != null ? translated : onTheWay(ref, targetColumn, "has not reached side " + to.label());
    }

    /**
     * The columns child filters test of the parent that {@code value} (in the child's column
     * {@code column}) identifies through {@code ref} on {@code side}, whether or not the parent is in
     * its own map's scope. A parent not known yet is on its way, as for a reference: the change waits
     * for it, and once it has waited long enough ({@code givingUp}) the parent counts as absent (null),
     * which no condition on it passes. Null too where no store is at hand ({@link #NONE}).
     *
     * @throws ParentNotSynced to wait for a parent not known yet
     */
    Map<String, Object> parentRow(Reference ref, Side side, String column, Object value) {
        ReadOnlyKeyValueStore<String, String> store = ref == null ? null : storesByMap.get(ref.map());
        if (store == null || value == null) {
            return null;
        }
        String json = store.get(CouplingEntries.parentRow(side, ref.column(side), io.dualsync.contract.CanonicalText.format(value)));
        if (json == null && !givingUp) {
            throw new ParentNotSynced(ParentNotSynced.Action.WAIT, column, ref,
                    "is not known on side " + side.label() + " (the map's filter tests its columns)");
        }
        return json == null ? null : CouplingRow.parseTested(json);
    }

    private String onTheWay(Reference ref, String targetColumn, String why) {
        if (!givingUp) {
            throw new ParentNotSynced(ParentNotSynced.Action.WAIT, targetColumn, ref, why);
        }
        return outcome(ref, targetColumn, why + " within " + ref.maxWait());
    }

    private String outOfScope(Reference ref, String targetColumn, Side from) {
        String why = "is not in the map's scope on side " + from.label();
        if (ref.ifParentMissing() == Reference.ParentMissing.WAIT) {
            return onTheWay(ref, targetColumn, why);
        }
        return outcome(ref, targetColumn, why);
    }

    private static String outcome(Reference ref, String targetColumn, String why) {
        return switch (ref.ifParentMissing()) {
            case EMPTY -> null;
            case SKIP -> throw new ParentNotSynced(ParentNotSynced.Action.SKIP, targetColumn, ref, why);
            case WAIT, DEAD_LETTER -> throw new ParentNotSynced(ParentNotSynced.Action.DEAD_LETTER, targetColumn, ref, why);
        };
    }
}
