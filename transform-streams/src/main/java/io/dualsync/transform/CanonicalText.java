package io.dualsync.transform;

import io.dualsync.catalog.SqlType;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.util.Base64;
import java.util.UUID;

/**
 * The one text form of a canonical value (see {@code ColumnValues}): what value maps and
 * prefixes operate on, what a row filter's company id is compared as, and how target keys are
 * kept in the links store. {@link #parse} reads back exactly what {@link #format} wrote.
 * Decimals are plain (no exponent), temporal values ISO-8601, bytes Base64.
 */
final class CanonicalText {

    private CanonicalText() {
    }

    static String format(Object value) {
        return switch (value) {
            case null -> null;
            case BigDecimal d -> d.toPlainString();
            case byte[] bytes -> Base64.getEncoder().encodeToString(bytes);
            default -> value.toString();
        };
    }

    /**
     * The canonical value of {@code type} written as {@code text} by {@link #format}.
     *
     * @throws IllegalArgumentException or a {@link java.time.format.DateTimeParseException}
     *                                  (whose message holds the text: do not pass it on)
     */
    static Object parse(String text, SqlType type) {
        if (text == null) {
            return null;
        }
        return switch (type.kind()) {
            case BOOLEAN -> switch (text) {
                case "true" -> Boolean.TRUE;
                case "false" -> Boolean.FALSE;
                default -> throw new IllegalArgumentException("not a boolean");
            };
            case INT16, INT32 -> Integer.valueOf(text);
            case INT64 -> Long.valueOf(text);
            case DECIMAL -> new BigDecimal(text);
            case FLOAT32 -> Float.valueOf(text);
            case FLOAT64 -> Double.valueOf(text);
            case STRING, JSON -> text;
            case DATE -> LocalDate.parse(text);
            case TIME -> LocalTime.parse(text);
            case TIMESTAMP -> LocalDateTime.parse(text);
            case TIMESTAMPTZ -> Instant.parse(text);
            case UUID -> UUID.fromString(text);
            case BYTES -> Base64.getDecoder().decode(text);
        };
    }
}
