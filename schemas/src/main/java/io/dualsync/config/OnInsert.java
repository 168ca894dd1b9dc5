package io.dualsync.config;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Values a map sets only when the sync creates a row on a side (a map's
 * {@code onInsert: { a: { relationship_type: customer, status: active } }}): per side, column to
 * the constant's text, in file order. They go into the INSERT of a row the target does not hold
 * yet and never into an update, so a later change of the source row, or a local edit of the
 * column on the target, is never overwritten. The text is typed through the target column's type
 * like any mapped value. {@link MapsReader} refuses a key column and a column a field also writes
 * toward that side (it would be overwritten by every update).
 *
 * @param a columns and values of rows the sync creates on side A
 * @param b columns and values of rows the sync creates on side B
 */
public record OnInsert(Map<String, String> a, Map<String, String> b) {

    public static final OnInsert NONE = new OnInsert(Map.of(), Map.of());

    public OnInsert {
        a = Collections.unmodifiableMap(new LinkedHashMap<>(a));
        b = Collections.unmodifiableMap(new LinkedHashMap<>(b));
    }

    /** The columns and values of rows the sync creates on {@code side}, in file order. */
    public Map<String, String> values(Side side) {
        return side == Side.A ? a : b;
    }
}
