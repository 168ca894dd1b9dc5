package io.dualsync.transform;

import io.dualsync.catalog.Column;
import io.dualsync.contract.ColumnValues;
import org.apache.avro.Schema;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.UUID;

/**
 * Reads one column of a raw Debezium row image into its canonical Java value, by the source
 * column's type (brief, "Raw topics"): decimals arrive as exact strings
 * ({@code decimal.handling.mode=string}), dates as days since the epoch, times and zone-less
 * timestamps as micros, zoned timestamps as ISO-8601 strings, UUIDs as strings, bytes as bytes.
 * Where the field's schema carries Debezium's semantic type ({@code connect.name}) it decides
 * what the SQL type alone cannot:
 * <ul>
 *   <li>{@code io.debezium.time.Timestamp} / {@code Time}: milliseconds (MariaDB
 *       {@code DATETIME(0..3)}), {@code Micro...}: micros, {@code Nano...}: nanos;</li>
 *   <li>{@code org.apache.kafka.connect.data.Decimal}: bytes holding the unscaled two's-complement
 *       value, scale in the schema (MariaDB {@code BIGINT UNSIGNED} with
 *       {@code bigint.unsigned.handling.mode=precise}).</li>
 * </ul>
 * MariaDB shapes also read exactly: a {@code TINYINT(1)} (Debezium: int16) into a BOOLEAN column
 * only from 0 or 1; 16 bytes into a UUID column; integers into a narrower integer kind only when
 * they fit. Anything that does not fit is a {@link MappingException} naming the column and the
 * reason, never the value; nothing is truncated.
 */
final class RawValues {

    private static final String CONNECT_NAME = "connect.name";
    private static final String CONNECT_DECIMAL = "org.apache.kafka.connect.data.Decimal";

    private RawValues() {
    }

    static Object decode(Column column, Schema fieldSchema, Object datum) {
        if (datum == null) {
            return null;
        }
        Schema schema = nonNull(fieldSchema);
        String semantic = schema == null ? null : schema.getProp(CONNECT_NAME);
        try {
            if (CONNECT_DECIMAL.equals(semantic)) {
                return fromDecimal(column, connectDecimal(schema, datum));
            }
            return switch (column.type().kind()) {
                case BOOLEAN -> toBoolean(column, datum);
                case INT16, INT32 -> exactInt(column, datum);
                case INT64 -> exactLong(column, datum);
                case DECIMAL -> datum instanceof BigDecimal d ? d : new BigDecimal(datum.toString());
                case FLOAT32 -> ((Number) datum).floatValue();
                case FLOAT64 -> ((Number) datum).doubleValue();
                case STRING, JSON -> text(column, datum);
                case DATE -> datum instanceof LocalDate d ? d : LocalDate.ofEpochDay(((Number) datum).longValue());
                case TIME -> datum instanceof LocalTime t ? t
                        : timeOfDay(column, Duration.of(((Number) datum).longValue(), unit(semantic, "Time")));
                case TIMESTAMP -> datum instanceof LocalDateTime t ? t
                        : LocalDateTime.ofInstant(Instant.EPOCH.plus(((Number) datum).longValue(), unit(semantic, "Timestamp")), ZoneOffset.UTC);
                case TIMESTAMPTZ -> datum instanceof Instant i ? i : OffsetDateTime.parse(datum.toString()).toInstant();
                case UUID -> toUuid(column, datum);
                case BYTES -> bytes(datum);
            };
        } catch (ClassCastException | NumberFormatException | DateTimeException | ArithmeticException e) {
            // these messages may quote the value: replaced by one that does not
            throw MappingException.column(column.name(), "the change event's value is not encoded as expected for "
                    + column.type() + " (" + e.getClass().getSimpleName() + ")");
        }
    }

    /** Text exactly as sent: malformed UTF-8 is refused, never replaced by U+FFFD (see {@link ColumnValues#text}). */
    private static String text(Column column, Object datum) {
        try {
            return ColumnValues.text(datum);
        } catch (IllegalArgumentException e) {
            throw MappingException.column(column.name(), e.getMessage());
        }
    }

    private static Object fromDecimal(Column column, BigDecimal value) {
        return switch (column.type().kind()) {
            case DECIMAL -> value;
            case INT16, INT32 -> exactInt(column, value);
            case INT64 -> exactLong(column, value);
            case STRING -> value.toPlainString();
            default -> throw MappingException.column(column.name(), "a decimal value cannot be read as " + column.type());
        };
    }

    private static BigDecimal connectDecimal(Schema schema, Object datum) {
        if (datum instanceof BigDecimal d) {
            return d;
        }
        Object scale = schema.getObjectProp("scale");
        int s = scale == null ? 0 : Integer.parseInt(scale.toString());
        return new BigDecimal(new BigInteger(bytes(datum)), s);
    }

    private static Boolean toBoolean(Column column, Object datum) {
        if (datum instanceof Boolean b) {
            return b;
        }
        // MariaDB BOOLEAN is TINYINT(1): Debezium sends the number, which may be any TINYINT
        long n = ((Number) datum).longValue();
        if (n == 0 || n == 1) {
            return n == 1;
        }
        throw MappingException.column(column.name(), "a TINYINT(1) holding a value other than 0 or 1 cannot be read as "
                + column.type());
    }

    private static Integer exactInt(Column column, Object datum) {
        Number n = (Number) datum;
        BigDecimal d = n instanceof BigDecimal b ? b : BigDecimal.valueOf(n.longValue());
        if (d.compareTo(BigDecimal.valueOf(Integer.MIN_VALUE)) < 0 || d.compareTo(BigDecimal.valueOf(Integer.MAX_VALUE)) > 0
                || d.stripTrailingZeros().scale() > 0) {
            throw MappingException.column(column.name(), "number is out of the range of " + column.type());
        }
        return d.intValueExact();
    }

    private static Long exactLong(Column column, Object datum) {
        if (datum instanceof BigDecimal d) {
            try {
                return d.longValueExact();
            } catch (ArithmeticException e) {
                throw MappingException.column(column.name(), "number is out of the range of " + column.type());
            }
        }
        return ((Number) datum).longValue();
    }

    /** MariaDB TIME is a duration (-838:59:59 .. 838:59:59); only 00:00 .. 23:59:59.999999 is a time of day. */
    private static LocalTime timeOfDay(Column column, Duration sinceMidnight) {
        if (sinceMidnight.isNegative() || sinceMidnight.compareTo(ChronoUnit.DAYS.getDuration()) >= 0) {
            throw MappingException.column(column.name(), "a TIME outside 00:00:00 to 23:59:59.999999 (a duration, not a time of day)"
                    + " cannot be read as " + column.type());
        }
        return LocalTime.ofNanoOfDay(sinceMidnight.toNanos());
    }

    private static UUID toUuid(Column column, Object datum) {
        if (datum instanceof UUID u) {
            return u;
        }
        if (datum instanceof ByteBuffer || datum instanceof byte[]) {
            byte[] b = bytes(datum);
            if (b.length != 16) {
                throw MappingException.column(column.name(), b.length + " bytes cannot be a UUID (16 needed)");
            }
            ByteBuffer buffer = ByteBuffer.wrap(b);
            return new UUID(buffer.getLong(), buffer.getLong());
        }
        try {
            return UUID.fromString(datum.toString());
        } catch (IllegalArgumentException e) {
            throw MappingException.column(column.name(), "text is not a UUID");
        }
    }

    /**
     * The unit of a Debezium time value: {@code io.debezium.time.Time} / {@code Timestamp} count
     * milliseconds, the {@code Nano...} kinds nanoseconds, everything else (the agreed
     * {@code Micro...} kinds) microseconds. Applied to the epoch as a count of that unit, never
     * converted to nanoseconds first: a long of nanoseconds ends in 1677, MariaDB's DATETIME
     * starts in the year 1000.
     */
    private static ChronoUnit unit(String semantic, String kind) {
        if (semantic == null) {
            return ChronoUnit.MICROS;
        }
        if (semantic.equals("io.debezium.time." + kind)) {
            return ChronoUnit.MILLIS;
        }
        if (semantic.equals("io.debezium.time.Nano" + kind)) {
            return ChronoUnit.NANOS;
        }
        return ChronoUnit.MICROS;
    }

    private static byte[] bytes(Object datum) {
        if (datum instanceof byte[] b) {
            return b;
        }
        ByteBuffer buffer = ((ByteBuffer) datum).duplicate();
        byte[] out = new byte[buffer.remaining()];
        buffer.get(out);
        return out;
    }

    private static Schema nonNull(Schema schema) {
        if (schema == null || schema.getType() != Schema.Type.UNION) {
            return schema;
        }
        for (Schema branch : schema.getTypes()) {
            if (branch.getType() != Schema.Type.NULL) {
                return branch;
            }
        }
        return null;
    }
}
