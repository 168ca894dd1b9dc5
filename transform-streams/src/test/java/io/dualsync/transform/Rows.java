package io.dualsync.transform;

import java.util.LinkedHashMap;
import java.util.Map;

/** Row images for tests: column name to canonical value, nulls allowed, in the given order. */
final class Rows {

    private Rows() {
    }

    static Map<String, Object> row(Object... namesAndValues) {
        Map<String, Object> row = new LinkedHashMap<>();
        for (int i = 0; i < namesAndValues.length; i += 2) {
            row.put((String) namesAndValues[i], namesAndValues[i + 1]);
        }
        return row;
    }

    /** A copy of {@code row} with the given columns changed. */
    static Map<String, Object> with(Map<String, Object> row, Object... namesAndValues) {
        Map<String, Object> copy = new LinkedHashMap<>(row);
        copy.putAll(row(namesAndValues));
        return copy;
    }
}
