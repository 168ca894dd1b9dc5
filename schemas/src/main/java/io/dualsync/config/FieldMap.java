package io.dualsync.config;

import java.util.Map;
import java.util.Optional;

/**
 * One column on side A paired with one column on side B.
 *
 * <p>Either column may be absent for a one-way constant ({@code { b: country, toB: { constant: US } }}).
 * Values are converted to the target column's type. {@code values} maps A's values to B's
 * (e.g. {@code active -> ""}); going B to A the inverse map is used. A value not in the map
 * cannot be synced and the change goes to the dead-letter topic.
 *
 * @param a      column on side A, if any
 * @param b      column on side B, if any
 * @param values value map from A's text form to B's, empty for none
 * @param toA    transform on the way to A
 * @param toB    transform on the way to B
 * @param direction which way this field flows ({@code direction:} on the field); a field flows
 *               from a side only when its map does too, so {@link Direction#BIDIRECTIONAL}
 *               (the default) means "as the map"
 * @param ref    when the field refers to a row of another map ({@code ref:}): how its value is
 *               translated through that map's coupling; empty for a plain field
 */
public record FieldMap(Optional<String> a, Optional<String> b, Map<String, String> values,
                       FieldTransform toA, FieldTransform toB, Direction direction, Optional<Reference> ref) {

    public FieldMap {
        values = Map.copyOf(values);
        java.util.Objects.requireNonNull(direction, "direction");
        ref = ref == null ? Optional.empty() : ref;
    }

    /** A field that is not a reference. */
    public FieldMap(Optional<String> a, Optional<String> b, Map<String, String> values,
                    FieldTransform toA, FieldTransform toB, Direction direction) {
        this(a, b, values, toA, toB, direction, Optional.empty());
    }

    /** A field that flows whichever way its map does. */
    public FieldMap(Optional<String> a, Optional<String> b, Map<String, String> values,
                    FieldTransform toA, FieldTransform toB) {
        this(a, b, values, toA, toB, Direction.BIDIRECTIONAL);
    }

    /** Whether this field carries changes captured on {@code from} (given that its map does). */
    public boolean flowsFrom(Side from) {
        return direction.flowsFrom(from);
    }

    public Optional<String> column(Side side) {
        return side == Side.A ? a : b;
    }

    public FieldTransform toward(Side side) {
        return side == Side.A ? toA : toB;
    }
}
