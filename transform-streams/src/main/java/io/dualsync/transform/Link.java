package io.dualsync.transform;

import io.dualsync.contract.CanonicalText;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What a flow last emitted for one source row: the target key it wrote to (column to
 * {@link CanonicalText}, in key order) and a hash of the target image it wrote. Kept in the
 * flow's links store under the source row's key; it is how a delete finds its coupled target
 * row, how a key change finds the old target row, and how an unchanged image is recognised.
 */
record Link(Map<String, String> targetKey, String imageHash) {

    Link {
        targetKey = Collections.unmodifiableMap(new LinkedHashMap<>(targetKey));
    }

    static Link of(RowMapper.TargetRow row) {
        Map<String, String> key = new LinkedHashMap<>();
        row.key().forEach((column, value) -> key.put(column, CanonicalText.format(value)));
        return new Link(key, CanonicalText.rowHash(row.columns()));
    }
}
