package io.dualsync.catalog;

import io.dualsync.catalog.SqlType.Kind;

import java.util.Optional;
import java.util.Set;

/**
 * Which column types a field may carry a value between, decided once at start-up so that a map
 * that could only ever lose data is refused before anything runs.
 *
 * <ul>
 *   <li>Same kind: allowed (a narrower DECIMAL or shorter STRING target is checked per value at
 *       run time; a value that does not fit goes to the dead-letter topic).</li>
 *   <li>Integer to integer (any width) and integer to DECIMAL: allowed, range checked at run time.</li>
 *   <li>DECIMAL to integer: only from a DECIMAL with scale 0.</li>
 *   <li>To a float: only from a smaller float or from integers the float holds exactly
 *       (INT16 to FLOAT32; INT16, INT32 to FLOAT64). From a float: only to a wider float or text.</li>
 *   <li>TIMESTAMP and TIMESTAMPTZ, both ways: allowed, using the endpoint's {@code timezone}.</li>
 *   <li>Anything but BYTES to STRING: allowed (the canonical text form).</li>
 *   <li>STRING to BOOLEAN, numbers, DATE, TIME, timestamps, UUID, JSON: allowed, parsed at run time.</li>
 *   <li>With a {@code values:} map, any pair without BYTES: the mapped text is parsed into the target.</li>
 *   <li>Everything else is refused with the reason.</li>
 * </ul>
 */
final class TypeCompatibility {

    private static final Set<Kind> PARSED_FROM_TEXT = Set.of(Kind.BOOLEAN, Kind.INT16, Kind.INT32, Kind.INT64,
            Kind.DECIMAL, Kind.FLOAT32, Kind.FLOAT64, Kind.DATE, Kind.TIME, Kind.TIMESTAMP, Kind.TIMESTAMPTZ, Kind.UUID, Kind.JSON);

    private TypeCompatibility() {
    }

    /** Why a value of type {@code from} cannot be written to a column of type {@code to}; empty when it can. */
    static Optional<String> refusal(SqlType from, SqlType to, boolean valueMap) {
        Kind f = from.kind();
        Kind t = to.kind();
        if (f == Kind.BYTES || t == Kind.BYTES) {
            return f == t ? Optional.empty() : Optional.of("binary data converts only to another binary column");
        }
        if (f == t || t == Kind.STRING || valueMap) {
            return Optional.empty();
        }
        if (f == Kind.STRING) {
            return PARSED_FROM_TEXT.contains(t) ? Optional.empty() : Optional.of("text cannot be read as " + describe(to));
        }
        if (from.isInteger() && (to.isInteger() || t == Kind.DECIMAL)) {
            return Optional.empty();
        }
        if (f == Kind.DECIMAL && to.isInteger()) {
            return from.isBoundedDecimal() && from.scale() == 0 ? Optional.empty()
                    : Optional.of(describe(from) + " can hold fractions that " + describe(to) + " cannot");
        }
        if (t == Kind.FLOAT32 || t == Kind.FLOAT64) {
            boolean exact = (f == Kind.FLOAT32 && t == Kind.FLOAT64) || (f == Kind.INT16)
                    || (f == Kind.INT32 && t == Kind.FLOAT64);
            return exact ? Optional.empty() : Optional.of(describe(to) + " would round some " + describe(from) + " values");
        }
        if (f == Kind.FLOAT32 || f == Kind.FLOAT64) {
            return Optional.of("float values are binary fractions; writing them to " + describe(to)
                    + " would invent or drop digits");
        }
        if ((f == Kind.TIMESTAMP && t == Kind.TIMESTAMPTZ) || (f == Kind.TIMESTAMPTZ && t == Kind.TIMESTAMP)) {
            return Optional.empty();
        }
        return Optional.of("dualsync does not convert " + describe(from) + " to " + describe(to));
    }

    /** The type as a user declared it: {@code numeric(38,10)}, {@code varchar(20)}, {@code int4}. */
    static String describe(SqlType type) {
        if (type.isBoundedDecimal()) {
            return withSize(type.nativeName(), "(" + type.precision() + "," + type.scale() + ")");
        }
        if (type.kind() == Kind.STRING && type.precision() > 0) {
            return withSize(type.nativeName(), "(" + type.precision() + ")");
        }
        return type.nativeName();
    }

    /** The size goes after the type's first word: {@code varchar(10) character set utf8mb3}, {@code bigint(20,0) unsigned}. */
    private static String withSize(String nativeName, String size) {
        int space = nativeName.indexOf(' ');
        return space < 0 ? nativeName + size : nativeName.substring(0, space) + size + nativeName.substring(space);
    }
}
