package io.dualsync.transform;

import io.dualsync.catalog.Column;
import org.apache.avro.Schema;

import java.math.BigDecimal;
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
 * Where the field's schema carries Debezium's semantic type ({@code connect.name}, e.g.
 * {@code io.debezium.time.Timestamp} for a {@code timestamp(3)} in milliseconds) that unit wins.
 */
final class RawValues {

    private static final String CONNECT_NAME = "connect.name";

    private RawValues() {
    }

    static Object decode(Column column, Schema fieldSchema, Object datum) {
        if (datum == null) {
            return null;
        }
        String semantic = semanticType(fieldSchema);
        try {
            return switch (column.type().kind()) {
                case BOOLEAN -> (Boolean) datum;
                case INT16, INT32 -> ((Number) datum).intValue();
                case INT64 -> ((Number) datum).longValue();
                case DECIMAL -> datum instanceof BigDecimal d ? d : new BigDecimal(datum.toString());
                case FLOAT32 -> ((Number) datum).floatValue();
                case FLOAT64 -> ((Number) datum).doubleValue();
                case STRING, JSON -> datum.toString();
                case DATE -> datum instanceof LocalDate d ? d : LocalDate.ofEpochDay(((Number) datum).longValue());
                case TIME -> datum instanceof LocalTime t ? t
                        : LocalTime.ofNanoOfDay(Duration.of(((Number) datum).longValue(), unit(semantic, "Time")).toNanos());
                // added in the value's own unit: as nanoseconds, a long holds only 1677-09-21..2262-04-11
                case TIMESTAMP -> datum instanceof LocalDateTime t ? t
                        : LocalDateTime.ofInstant(Instant.EPOCH.plus(((Number) datum).longValue(), unit(semantic, "Timestamp")), ZoneOffset.UTC);
                case TIMESTAMPTZ -> datum instanceof Instant i ? i : OffsetDateTime.parse(datum.toString()).toInstant();
                case UUID -> datum instanceof UUID u ? u : UUID.fromString(datum.toString());
                case BYTES -> bytes(datum);
            };
        } catch (ClassCastException | NumberFormatException | DateTimeException | ArithmeticException e) {
            // these messages may quote the value: replaced by one that does not
            throw MappingException.column(column.name(), "the change event's value is not encoded as expected for "
                    + column.type() + " (" + e.getClass().getSimpleName() + ")");
        }
    }

    /**
     * The unit of a Debezium time value: {@code io.debezium.time.Time} / {@code Timestamp} count
     * milliseconds, the {@code Nano...} kinds nanoseconds, everything else (the agreed
     * {@code Micro...} kinds) microseconds.
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

    private static String semanticType(Schema schema) {
        if (schema == null) {
            return null;
        }
        if (schema.getType() == Schema.Type.UNION) {
            for (Schema branch : schema.getTypes()) {
                if (branch.getType() != Schema.Type.NULL) {
                    return branch.getProp(CONNECT_NAME);
                }
            }
            return null;
        }
        return schema.getProp(CONNECT_NAME);
    }
}
