package io.dualsync.launcher.verify;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dualsync.catalog.Column;
import io.dualsync.config.EndpointKind;
import io.dualsync.contract.CanonicalText;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * The SQL condition "the row's key is one of these keys" on a source table, for the
 * {@code additional-conditions} of an incremental-snapshot signal ({@code verify --repair}).
 *
 * <p>Every literal is rendered from the canonical Java value of the column's {@code SqlType}
 * (parsed from verify's row key text), never by pasting text: numbers from their parsed value,
 * temporal values and UUIDs in their ISO form, and text so that no character can end the
 * literal — on PostgreSQL an escape string {@code E'...'} with {@code '} and {@code \} escaped (the
 * same whatever {@code standard_conforming_strings} says), on MariaDB a hex string with a
 * character-set introducer {@code _utf8mb4 X'...'} (the same whatever {@code sql_mode} says); bytes
 * as hex on both. A one-column key gives {@code (k IN (v1, v2))}, a composite key
 * {@code ((a = v1 AND b = w1) OR (a = v2 AND b = w2))}; the whole condition is parenthesized so that
 * Debezium may append it to its chunk query with {@code AND}.
 */
final class KeyCondition {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final DateTimeFormatter WALL_CLOCK = DateTimeFormatter.ofPattern("uuuu-MM-dd HH:mm:ss.SSSSSS");
    private static final DateTimeFormatter TIME_OF_DAY = DateTimeFormatter.ofPattern("HH:mm:ss.SSSSSS");

    private final EndpointKind kind;
    private final List<Column> keyColumns;

    /** @param keyColumns the source table's key columns, in the order of verify's source row keys */
    KeyCondition(EndpointKind kind, List<Column> keyColumns) {
        if (keyColumns.isEmpty()) {
            throw new IllegalArgumentException("a key has at least one column");
        }
        this.kind = Objects.requireNonNull(kind);
        this.keyColumns = List.copyOf(keyColumns);
    }

    /**
     * The canonical values of a source row key as verify writes it ({@code CanonicalText.rowKey}:
     * a JSON array of canonical texts).
     *
     * @throws IllegalArgumentException when the text is not such a key of these columns (the
     *                                  message holds no value)
     */
    List<Object> parse(String sourceRowKey) {
        JsonNode array;
        try {
            array = JSON.readTree(sourceRowKey);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("a source row key is not a JSON array");
        }
        if (array == null || !array.isArray() || array.size() != keyColumns.size()) {
            throw new IllegalArgumentException("a source row key does not have " + keyColumns.size() + " values");
        }
        List<Object> values = new ArrayList<>(keyColumns.size());
        for (int i = 0; i < keyColumns.size(); i++) {
            JsonNode v = array.get(i);
            values.add(v.isNull() ? null : CanonicalText.parse(v.asText(), keyColumns.get(i).type()));
        }
        return values;
    }

    /**
     * The condition selecting exactly the rows with these keys.
     *
     * @param keys each the canonical values of one key, in key column order; at least one
     * @throws IllegalArgumentException when a value is null or cannot be written as a literal of
     *                                  its column (the message names the column, never the value)
     */
    String render(List<List<Object>> keys) {
        if (keys.isEmpty()) {
            throw new IllegalArgumentException("no keys to select");
        }
        if (keyColumns.size() == 1) {
            Column c = keyColumns.getFirst();
            return "(" + quote(c.name()) + " IN (" + keys.stream().map(k -> literal(c, single(k)))
                    .collect(Collectors.joining(", ")) + "))";
        }
        return "(" + keys.stream().map(this::conjunction).collect(Collectors.joining(" OR ")) + ")";
    }

    /**
     * About how many characters {@code key} adds to a rendered condition (its term and a
     * separator), to bound the size of one signal.
     */
    int length(List<Object> key) {
        return (keyColumns.size() == 1 ? literal(keyColumns.getFirst(), single(key)).length() : conjunction(key).length()) + 4;
    }

    private Object single(List<Object> key) {
        if (key.size() != 1) {
            throw new IllegalArgumentException("a key of " + key.size() + " values for a one-column key");
        }
        return key.getFirst();
    }

    private String conjunction(List<Object> key) {
        if (key.size() != keyColumns.size()) {
            throw new IllegalArgumentException("a key of " + key.size() + " values for a " + keyColumns.size() + "-column key");
        }
        List<String> terms = new ArrayList<>(key.size());
        for (int i = 0; i < key.size(); i++) {
            Column c = keyColumns.get(i);
            terms.add(quote(c.name()) + " = " + literal(c, key.get(i)));
        }
        return "(" + String.join(" AND ", terms) + ")";
    }

    String quote(String identifier) {
        return kind == EndpointKind.POSTGRES ? "\"" + identifier.replace("\"", "\"\"") + "\""
                : "`" + identifier.replace("`", "``") + "`";
    }

    /** The SQL literal of canonical {@code value} for {@code column}. */
    String literal(Column column, Object value) {
        if (value == null) {
            throw new IllegalArgumentException("key column " + column.name() + " holds NULL, which no key condition selects");
        }
        boolean postgres = kind == EndpointKind.POSTGRES;
        try {
            return switch (column.type().kind()) {
                case BOOLEAN -> ((Boolean) value) ? "TRUE" : "FALSE";
                case INT16, INT32 -> Integer.toString((Integer) value);
                case INT64 -> Long.toString((Long) value);
                case DECIMAL -> ((BigDecimal) value).toPlainString();
                case FLOAT32 -> finite(column, ((Float) value).doubleValue(), Float.toString((Float) value));
                case FLOAT64 -> finite(column, (Double) value, Double.toString((Double) value));
                case STRING -> text((String) value);
                case JSON -> throw new IllegalArgumentException("key column " + column.name()
                        + " is JSON, which has no equality to select a row by");
                case UUID -> "'" + ((UUID) value) + "'";
                case DATE -> (postgres ? "date '" : "DATE '") + ((LocalDate) value) + "'";
                case TIME -> (postgres ? "time '" : "TIME '") + TIME_OF_DAY.format((LocalTime) value) + "'";
                case TIMESTAMP -> (postgres ? "timestamp '" : "TIMESTAMP '") + WALL_CLOCK.format((LocalDateTime) value) + "'";
                case TIMESTAMPTZ -> instant((Instant) value);
                case BYTES -> postgres ? "decode('" + HexFormat.of().formatHex((byte[]) value) + "', 'hex')"
                        : "X'" + HexFormat.of().formatHex((byte[]) value) + "'";
            };
        } catch (ClassCastException e) {
            throw new IllegalArgumentException("key column " + column.name() + " (" + column.type().nativeName()
                    + ") got a value of another type");
        }
    }

    private String finite(Column column, double value, String text) {
        if (!Double.isFinite(value)) {
            throw new IllegalArgumentException("key column " + column.name() + " holds a non-finite number");
        }
        // a float key is compared as its shortest exact decimal text, the same the row was read as
        return kind == EndpointKind.POSTGRES ? "'" + text + "'::" + (column.type().kind().name().equals("FLOAT32")
                ? "real" : "double precision") : text;
    }

    private String text(String value) {
        if (kind == EndpointKind.POSTGRES) {
            if (value.indexOf('\0') >= 0) {
                throw new IllegalArgumentException("a PostgreSQL text key cannot hold NUL");
            }
            return "E'" + value.replace("\\", "\\\\").replace("'", "\\'") + "'";
        }
        return "_utf8mb4 X'" + HexFormat.of().formatHex(value.getBytes(StandardCharsets.UTF_8)) + "'";
    }

    private String instant(Instant at) {
        if (kind == EndpointKind.POSTGRES) {
            return "timestamptz '" + at + "'";
        }
        // a MariaDB TIMESTAMP is an instant: FROM_UNIXTIME gives it in the session's zone, as the column compares
        return "FROM_UNIXTIME(" + new BigDecimal(at.getEpochSecond()).add(BigDecimal.valueOf(at.getNano(), 9))
                .setScale(6, RoundingMode.UNNECESSARY).toPlainString() + ")";
    }
}
