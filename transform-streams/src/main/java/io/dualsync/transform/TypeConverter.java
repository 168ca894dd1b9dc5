package io.dualsync.transform;

import io.dualsync.contract.CanonicalText;

import io.dualsync.catalog.SqlType;
import io.dualsync.contract.ColumnValues;

import java.math.BigDecimal;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.util.UUID;

/**
 * Converts a canonical value (see {@code ColumnValues}) to the canonical value of a target
 * column's type, exactly or not at all. Integers widen and narrow within range; integers,
 * decimals, floats and text convert into each other only when no digit is lost; decimals are
 * fitted to the target's precision and scale without rounding; zone-less timestamps become
 * instants (and back) in the zone of the endpoint whose timestamps they are; booleans convert
 * to and from {@code true}/{@code false} and 1/0; text parses into numbers, dates, times,
 * timestamps and UUIDs; anything becomes text. A failure names the column and the reason, never
 * the value.
 *
 * <p>The source kind is read from the value's Java class, because after a text transform
 * (prefix, value map, constant) the value is text whatever the source column was.
 */
final class TypeConverter {

    private final ZoneId sourceZone;
    private final ZoneId targetZone;

    /**
     * @param sourceZone the zone the source endpoint's zone-less timestamps are meant in
     * @param targetZone the zone the target endpoint's zone-less timestamps are meant in
     */
    TypeConverter(ZoneId sourceZone, ZoneId targetZone) {
        this.sourceZone = sourceZone;
        this.targetZone = targetZone;
    }

    /**
     * {@code value} as the canonical value of {@code target}.
     *
     * @throws MappingException naming {@code column} when it cannot be converted exactly
     */
    Object convert(Object value, SqlType target, String column) {
        if (value == null) {
            return null;
        }
        try {
            return toKind(value, target, column);
        } catch (DateTimeException e) {
            // java.time's parse messages quote the text: replaced by one that does not
            throw MappingException.column(column, "text is not a valid " + describe(target));
        }
    }

    private Object toKind(Object value, SqlType target, String column) {
        return switch (target.kind()) {
            case BOOLEAN -> toBoolean(value, column);
            case INT16 -> (int) integer(value, Short.MIN_VALUE, Short.MAX_VALUE, target, column);
            case INT32 -> (int) integer(value, Integer.MIN_VALUE, Integer.MAX_VALUE, target, column);
            case INT64 -> integer(value, Long.MIN_VALUE, Long.MAX_VALUE, target, column);
            case DECIMAL -> toDecimal(value, target, column);
            case FLOAT32 -> toFloat(value, target, column);
            case FLOAT64 -> toDouble(value, target, column);
            case STRING -> toText(value, target, column);
            case JSON -> requireText(value, target, column);
            case DATE -> value instanceof LocalDate d ? d : LocalDate.parse(textToParse(value, target, column));
            case TIME -> value instanceof LocalTime t ? t : LocalTime.parse(textToParse(value, target, column));
            case TIMESTAMP -> toTimestamp(value, target, column);
            case TIMESTAMPTZ -> toInstant(value, target, column);
            case UUID -> toUuid(value, target, column);
            case BYTES -> {
                if (value instanceof byte[] bytes) {
                    yield bytes;
                }
                throw cannot(value, target, column);
            }
        };
    }

    private static Boolean toBoolean(Object value, String column) {
        return switch (value) {
            case Boolean b -> b;
            case String s when s.equalsIgnoreCase("true") -> Boolean.TRUE;
            case String s when s.equalsIgnoreCase("false") -> Boolean.FALSE;
            case String s -> throw MappingException.column(column, "text is neither 'true' nor 'false'");
            case Integer i when i == 0 || i == 1 -> i == 1;
            case Long l when l == 0L || l == 1L -> l == 1L;
            case Integer i -> throw MappingException.column(column, "only 0 and 1 convert to a boolean");
            case Long l -> throw MappingException.column(column, "only 0 and 1 convert to a boolean");
            default -> throw MappingException.column(column, "cannot convert " + kindOf(value) + " to a boolean");
        };
    }

    private static long integer(Object value, long min, long max, SqlType target, String column) {
        BigDecimal d = value instanceof Boolean b ? (b ? BigDecimal.ONE : BigDecimal.ZERO) : exactNumber(value, target, column);
        if (d.signum() != 0 && d.stripTrailingZeros().scale() > 0) {
            throw MappingException.column(column, "number has a fractional part and " + target + " holds whole numbers only");
        }
        if (d.compareTo(BigDecimal.valueOf(min)) < 0 || d.compareTo(BigDecimal.valueOf(max)) > 0) {
            throw MappingException.column(column, "number is out of the range of " + target);
        }
        return d.longValueExact();
    }

    private static BigDecimal toDecimal(Object value, SqlType target, String column) {
        BigDecimal d = exactNumber(value, target, column);
        if (!target.isBoundedDecimal()) {
            return d;
        }
        try {
            return ColumnValues.fitDecimal(d, target);
        } catch (IllegalArgumentException tooManyDigits) {
            // fitDecimal's message counts digits and names the type; it never shows the value
            throw MappingException.column(column, tooManyDigits.getMessage());
        }
    }

    private static Float toFloat(Object value, SqlType target, String column) {
        if (value instanceof Float f) {
            return f;
        }
        BigDecimal d = exactNumber(value, target, column);
        float f = d.floatValue();
        if (!Float.isFinite(f) || new BigDecimal(Float.toString(f)).compareTo(d) != 0) {
            throw MappingException.column(column, "number cannot be held exactly by " + target);
        }
        return f;
    }

    private static Double toDouble(Object value, SqlType target, String column) {
        if (value instanceof Double d) {
            return d;
        }
        BigDecimal d = exactNumber(value, target, column);
        double v = d.doubleValue();
        if (!Double.isFinite(v) || new BigDecimal(Double.toString(v)).compareTo(d) != 0) {
            throw MappingException.column(column, "number cannot be held exactly by " + target);
        }
        return v;
    }

    /**
     * The exact decimal a numeric or text value stands for. A float counts as the decimal of its
     * shortest representation ({@code 0.1f} is 0.1), which is what a user typed and what the
     * database prints.
     */
    private static BigDecimal exactNumber(Object value, SqlType target, String column) {
        return switch (value) {
            case BigDecimal d -> d;
            case Integer i -> BigDecimal.valueOf(i);
            case Long l -> BigDecimal.valueOf(l);
            case Float f when Float.isFinite(f) -> new BigDecimal(Float.toString(f));
            case Double d when Double.isFinite(d) -> new BigDecimal(Double.toString(d));
            case Float f -> throw MappingException.column(column, "not-a-number or infinity cannot be held by " + target);
            case Double d -> throw MappingException.column(column, "not-a-number or infinity cannot be held by " + target);
            case String s -> {
                try {
                    yield new BigDecimal(s.strip());
                } catch (NumberFormatException e) {
                    // NumberFormatException's message quotes the text: not passed on
                    throw MappingException.column(column, "text is not a number, so it cannot become " + target);
                }
            }
            default -> throw cannot(value, target, column);
        };
    }

    private static String toText(Object value, SqlType target, String column) {
        String text = CanonicalText.format(value);
        if (target.precision() > 0 && text.codePointCount(0, text.length()) > target.precision()) {
            throw MappingException.column(column, "text of " + text.codePointCount(0, text.length())
                    + " characters is longer than " + target + "(" + target.precision() + ") holds");
        }
        return text;
    }

    private static String requireText(Object value, SqlType target, String column) {
        if (value instanceof String s) {
            return s;
        }
        throw cannot(value, target, column);
    }

    private LocalDateTime toTimestamp(Object value, SqlType target, String column) {
        return switch (value) {
            case LocalDateTime t when sourceZone.equals(targetZone) -> t;
            // both zone-less, but meant in different zones: keep the instant
            case LocalDateTime t -> t.atZone(sourceZone).withZoneSameInstant(targetZone).toLocalDateTime();
            case Instant i -> LocalDateTime.ofInstant(i, targetZone);
            default -> LocalDateTime.parse(textToParse(value, target, column).replace(' ', 'T'));
        };
    }

    private Instant toInstant(Object value, SqlType target, String column) {
        return switch (value) {
            case Instant i -> i;
            case LocalDateTime t -> t.atZone(sourceZone).toInstant();
            default -> OffsetDateTime.parse(textToParse(value, target, column).replace(' ', 'T')).toInstant();
        };
    }

    private static UUID toUuid(Object value, SqlType target, String column) {
        if (value instanceof UUID u) {
            return u;
        }
        String text = textToParse(value, target, column);
        try {
            return UUID.fromString(text);
        } catch (IllegalArgumentException e) {
            throw MappingException.column(column, "text is not a UUID");
        }
    }

    /** Only text parses into a temporal or UUID column; any other kind has no conversion. */
    private static String textToParse(Object value, SqlType target, String column) {
        if (value instanceof String s) {
            return s.strip();
        }
        throw cannot(value, target, column);
    }

    private static String describe(SqlType target) {
        return switch (target.kind()) {
            case DATE -> "date (yyyy-mm-dd)";
            case TIME -> "time (hh:mm:ss)";
            case TIMESTAMP -> "timestamp (yyyy-mm-ddThh:mm:ss)";
            case TIMESTAMPTZ -> "timestamp with offset (yyyy-mm-ddThh:mm:ssZ)";
            default -> target.toString();
        };
    }

    private static MappingException cannot(Object value, SqlType target, String column) {
        return MappingException.column(column, "cannot convert " + kindOf(value) + " to " + target);
    }

    private static String kindOf(Object value) {
        return switch (value) {
            case Boolean b -> "a boolean";
            case Integer i -> "an integer";
            case Long l -> "an integer";
            case BigDecimal d -> "a decimal";
            case Float f -> "a float";
            case Double d -> "a double";
            case String s -> "text";
            case LocalDate d -> "a date";
            case LocalTime t -> "a time";
            case LocalDateTime t -> "a timestamp";
            case Instant i -> "a timestamp with time zone";
            case UUID u -> "a UUID";
            case byte[] b -> "bytes";
            default -> "a " + value.getClass().getSimpleName();
        };
    }
}
