package io.dualsync.contract;

import io.dualsync.catalog.SqlType;
import org.apache.avro.Conversions;
import org.apache.avro.LogicalType;
import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;
import org.apache.avro.util.Utf8;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.UUID;

/**
 * The one mapping between a column's {@link SqlType}, its Avro type on the mapped topics, and its
 * canonical Java value. Every service goes through here, so a value means the same thing in
 * transform, on the wire and in apply.
 *
 * <table>
 *   <caption>Canonical forms</caption>
 *   <tr><th>kind</th><th>Java</th><th>Avro</th></tr>
 *   <tr><td>BOOLEAN</td><td>Boolean</td><td>boolean</td></tr>
 *   <tr><td>INT16, INT32</td><td>Integer</td><td>int</td></tr>
 *   <tr><td>INT64</td><td>Long</td><td>long</td></tr>
 *   <tr><td>DECIMAL(p,s)</td><td>BigDecimal</td><td>bytes, decimal(p,s); string when unbounded</td></tr>
 *   <tr><td>FLOAT32 / FLOAT64</td><td>Float / Double</td><td>float / double</td></tr>
 *   <tr><td>STRING, JSON</td><td>String</td><td>string</td></tr>
 *   <tr><td>DATE</td><td>LocalDate</td><td>int, date</td></tr>
 *   <tr><td>TIME</td><td>LocalTime</td><td>long, time-micros</td></tr>
 *   <tr><td>TIMESTAMP</td><td>LocalDateTime</td><td>long, local-timestamp-micros</td></tr>
 *   <tr><td>TIMESTAMPTZ</td><td>Instant</td><td>long, timestamp-micros</td></tr>
 *   <tr><td>UUID</td><td>UUID</td><td>string, uuid</td></tr>
 *   <tr><td>BYTES</td><td>byte[]</td><td>bytes</td></tr>
 * </table>
 */
public final class ColumnValues {

    /** Avro property that keeps a type dualsync cannot express as a logical type. */
    public static final String TYPE_PROPERTY = "dualsync.type";

    private static final Conversions.DecimalConversion DECIMALS = new Conversions.DecimalConversion();

    private ColumnValues() {
    }

    /** The (non-null) Avro schema of a column of this type. */
    public static Schema avroType(SqlType type) {
        return switch (type.kind()) {
            case BOOLEAN -> Schema.create(Schema.Type.BOOLEAN);
            case INT16, INT32 -> Schema.create(Schema.Type.INT);
            case INT64 -> Schema.create(Schema.Type.LONG);
            case DECIMAL -> {
                if (type.isBoundedDecimal()) {
                    yield LogicalTypes.decimal(type.precision(), type.scale()).addToSchema(Schema.create(Schema.Type.BYTES));
                }
                Schema s = Schema.create(Schema.Type.STRING);
                s.addProp(TYPE_PROPERTY, "decimal");
                yield s;
            }
            case FLOAT32 -> Schema.create(Schema.Type.FLOAT);
            case FLOAT64 -> Schema.create(Schema.Type.DOUBLE);
            case STRING -> Schema.create(Schema.Type.STRING);
            case JSON -> {
                Schema s = Schema.create(Schema.Type.STRING);
                s.addProp(TYPE_PROPERTY, "json");
                yield s;
            }
            case DATE -> LogicalTypes.date().addToSchema(Schema.create(Schema.Type.INT));
            case TIME -> LogicalTypes.timeMicros().addToSchema(Schema.create(Schema.Type.LONG));
            case TIMESTAMP -> LogicalTypes.localTimestampMicros().addToSchema(Schema.create(Schema.Type.LONG));
            case TIMESTAMPTZ -> LogicalTypes.timestampMicros().addToSchema(Schema.create(Schema.Type.LONG));
            case UUID -> LogicalTypes.uuid().addToSchema(Schema.create(Schema.Type.STRING));
            case BYTES -> Schema.create(Schema.Type.BYTES);
        };
    }

    /**
     * Canonical Java value to its Avro datum for a column of {@code type}.
     *
     * @throws IllegalArgumentException when the value does not fit the type exactly (too many
     *                                  digits, a fraction the scale cannot hold): never rounded
     */
    public static Object toAvro(SqlType type, Object value) {
        if (value == null) {
            return null;
        }
        return switch (type.kind()) {
            case BOOLEAN -> (Boolean) value;
            case INT16, INT32 -> (Integer) value;
            case INT64 -> (Long) value;
            case DECIMAL -> {
                BigDecimal d = (BigDecimal) value;
                if (!type.isBoundedDecimal()) {
                    yield d.toPlainString();
                }
                BigDecimal exact = fitDecimal(d, type);
                Schema schema = avroType(type);
                yield DECIMALS.toBytes(exact, schema, schema.getLogicalType());
            }
            case FLOAT32 -> (Float) value;
            case FLOAT64 -> (Double) value;
            case STRING, JSON -> (String) value;
            case DATE -> (int) ((LocalDate) value).toEpochDay();
            case TIME -> ((LocalTime) value).toNanoOfDay() / 1_000L;
            case TIMESTAMP -> micros(((LocalDateTime) value).toInstant(ZoneOffset.UTC));
            case TIMESTAMPTZ -> micros((Instant) value);
            case UUID -> value.toString();
            case BYTES -> ByteBuffer.wrap((byte[]) value);
        };
    }

    /** Avro datum (as a GenericRecord holds it) to the canonical Java value for {@code type}. */
    public static Object fromAvro(SqlType type, Object datum) {
        if (datum == null) {
            return null;
        }
        return switch (type.kind()) {
            case BOOLEAN -> (Boolean) datum;
            case INT16, INT32 -> ((Number) datum).intValue();
            case INT64 -> ((Number) datum).longValue();
            case DECIMAL -> {
                if (!type.isBoundedDecimal()) {
                    yield new BigDecimal(datum.toString());
                }
                Schema schema = avroType(type);
                LogicalType logical = schema.getLogicalType();
                yield DECIMALS.fromBytes(((ByteBuffer) datum).duplicate(), schema, logical);
            }
            case FLOAT32 -> ((Number) datum).floatValue();
            case FLOAT64 -> ((Number) datum).doubleValue();
            case STRING, JSON -> text(datum);
            case DATE -> LocalDate.ofEpochDay(((Number) datum).longValue());
            case TIME -> LocalTime.ofNanoOfDay(((Number) datum).longValue() * 1_000L);
            case TIMESTAMP -> LocalDateTime.ofInstant(instantOfMicros(((Number) datum).longValue()), ZoneOffset.UTC);
            case TIMESTAMPTZ -> instantOfMicros(((Number) datum).longValue());
            case UUID -> UUID.fromString(datum.toString());
            case BYTES -> {
                ByteBuffer b = ((ByteBuffer) datum).duplicate();
                byte[] out = new byte[b.remaining()];
                b.get(out);
                yield out;
            }
        };
    }

    /**
     * The text of an Avro string datum, exactly or not at all. Avro's {@link Utf8#toString()}
     * decodes leniently: bytes that are not valid UTF-8 (a truncated sequence, or a lone surrogate
     * encoded CESU-8 style as {@code ED A0 80}) silently become U+FFFD, which would then be written
     * to the target as if it were the text. Here they are refused instead, as is a Java string
     * holding a lone surrogate (which UTF-8 cannot carry; an encoder writes '?' for it).
     *
     * @throws IllegalArgumentException when the datum is not valid Unicode text; the message never
     *                                  quotes the value
     */
    public static String text(Object datum) {
        if (datum instanceof Utf8 u) {
            try {
                return StandardCharsets.UTF_8.newDecoder()
                        .onMalformedInput(CodingErrorAction.REPORT)
                        .onUnmappableCharacter(CodingErrorAction.REPORT)
                        .decode(ByteBuffer.wrap(u.getBytes(), 0, u.getByteLength()))
                        .toString();
            } catch (CharacterCodingException e) {
                throw new IllegalArgumentException("the text is not valid UTF-8 (malformed bytes or an encoded lone"
                        + " surrogate); refused rather than stored with U+FFFD in their place");
            }
        }
        String text = datum.toString();
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                throw new IllegalArgumentException("the text holds a lone surrogate (UTF-16 unit at index " + i
                        + "), which no database text column can store");
            }
        }
        return text;
    }

    /**
     * The decimal at the column's scale, or an exception naming why it cannot be stored exactly.
     * Trailing zeros are added as needed; no digit is ever dropped.
     */
    public static BigDecimal fitDecimal(BigDecimal d, SqlType type) {
        BigDecimal scaled;
        try {
            scaled = d.setScale(type.scale(), RoundingMode.UNNECESSARY);
        } catch (ArithmeticException e) {
            throw new IllegalArgumentException("decimal with " + d.scale() + " fractional digits does not fit "
                    + type.nativeName() + "(" + type.precision() + "," + type.scale() + ") without rounding");
        }
        if (scaled.precision() > type.precision()) {
            throw new IllegalArgumentException("decimal with " + (scaled.precision() - scaled.scale())
                    + " integer digits does not fit " + type.nativeName() + "(" + type.precision() + "," + type.scale() + ")");
        }
        return scaled;
    }

    private static long micros(Instant i) {
        return Math.addExact(Math.multiplyExact(i.getEpochSecond(), 1_000_000L), i.getNano() / 1_000L);
    }

    private static Instant instantOfMicros(long micros) {
        return Instant.EPOCH.plus(micros, ChronoUnit.MICROS);
    }
}
