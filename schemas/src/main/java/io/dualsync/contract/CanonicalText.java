package io.dualsync.contract;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dualsync.catalog.SqlType;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The one text form of a canonical column value (see {@link ColumnValues}), shared by every
 * service: what value maps and prefixes operate on, what filters compare, how row keys are
 * kept (transform's links store, apply's bookkeeping) and what row images are hashed from — so
 * a hash taken in transform equals the one apply stores for the same image.
 *
 * <p>Decimals are plain digits with their scale (no exponent), temporal values ISO-8601, bytes
 * Base64, null stays null. {@link #parse} reads back exactly what {@link #format} wrote.
 */
public final class CanonicalText {

    private static final ObjectMapper JSON = new ObjectMapper();

    private CanonicalText() {
    }

    /** One value's canonical text, {@code null} for SQL NULL. */
    public static String format(Object value) {
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
     *                                  (whose message holds the text: never log it)
     */
    public static Object parse(String text, SqlType type) {
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

    /** A row key: the JSON array of the key values' canonical text, e.g. {@code ["C-1001","7"]}. */
    public static String rowKey(Collection<?> keyValues) {
        List<String> texts = new ArrayList<>(keyValues.size());
        keyValues.forEach(v -> texts.add(format(v)));
        return json(texts);
    }

    /**
     * Hex SHA-256 of a row image: the JSON object of column name to canonical text, in the given
     * column order. Two images hash alike only when every column holds the same value.
     */
    public static String rowHash(Map<String, ?> columns) {
        Map<String, String> texts = new LinkedHashMap<>();
        columns.forEach((name, value) -> texts.put(name, format(value)));
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(json(texts).getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }

    private static String json(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("strings always serialize", e);
        }
    }
}
