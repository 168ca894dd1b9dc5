package io.dualsync.transform;

import io.dualsync.contract.CanonicalText;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What a flow last emitted for one source row: the target key it wrote to (column to
 * {@link CanonicalText}, in key order) and a hash of the target image it wrote. Kept in the
 * flow's links store under the source row's key, with the row's coupled key when the map flows
 * both ways (so a delete, whose event may carry only the primary key, still finds it); it is how a delete finds its coupled target
 * row, how a key change finds the old target row, and how an unchanged image is recognised;
 * {@link #outOfScope()} marks a row that left the flow's scope and kept its coupled row.
 */
record Link(Map<String, String> targetKey, String imageHash, String coupledKey, boolean outOfScope) {

    Link {
        targetKey = Collections.unmodifiableMap(new LinkedHashMap<>(targetKey));
    }

    /** A link of a row in scope. */
    Link(Map<String, String> targetKey, String imageHash, String coupledKey) {
        this(targetKey, imageHash, coupledKey, false);
    }

    /** A link of a one-way flow, which needs no coupled key. */
    Link(Map<String, String> targetKey, String imageHash) {
        this(targetKey, imageHash, null);
    }

    /**
     * This link of a row that left the flow's scope and whose coupled row keeps its last synced
     * state ({@code leavesScope: keep}): when the row comes back into scope its full image is sent,
     * even if it equals {@link #imageHash()} (the target may have been changed meanwhile).
     */
    Link leftScope() {
        return outOfScope ? this : new Link(targetKey, imageHash, coupledKey, true);
    }

    /** @param coupledKey the row's coupled key when the map flows both ways (see {@link FlowMapper#coupledKey}), else null */
    static Link of(RowMapper.TargetRow row, String coupledKey) {
        Map<String, String> key = new LinkedHashMap<>();
        row.key().forEach((column, value) -> key.put(column, CanonicalText.format(value)));
        return new Link(key, CanonicalText.rowHash(row.columns()), coupledKey);
    }
}
