package io.dualsync.contract;

import io.dualsync.catalog.Column;
import io.dualsync.catalog.SqlType;
import io.dualsync.catalog.TableSchema;
import io.dualsync.config.Side;
import io.dualsync.config.TableMap;

import java.math.BigDecimal;
import java.time.DateTimeException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The values a map sets only when the sync creates a row on one side ({@link TableMap#onInsert()}),
 * as canonical values of their target columns (see {@link ColumnValues}): what apply adds to the
 * INSERT part of its upsert, and what {@code CatalogValidator} checks before anything runs.
 *
 * <p>The config's text is typed by the column's type, exactly or not at all: numbers and decimals
 * without rounding (a decimal at the column's scale), {@code true}/{@code false}, ISO-8601 dates,
 * times and timestamps (an instant with its offset for {@code timestamptz}), UUIDs, JSON text, text
 * no longer than the column holds. Binary columns cannot be set.
 *
 * @param columns the target columns, in the config's order
 * @param values  their canonical values, in the same order
 */
public record InsertValues(List<Column> columns, List<Object> values) {

    public static final InsertValues NONE = new InsertValues(List.of(), List.of());

    public InsertValues {
        columns = List.copyOf(columns);
        values = java.util.Collections.unmodifiableList(new ArrayList<>(values));
    }

    /**
     * The values {@code map} sets on rows it creates on side {@code side}, whose table is {@code table}.
     *
     * @throws IllegalArgumentException naming the map and column when a column is missing or a value
     *                                  does not fit its column
     */
    public static InsertValues of(TableMap map, Side side, TableSchema table) {
        List<Column> columns = new ArrayList<>();
        List<Object> values = new ArrayList<>();
        for (Map.Entry<String, String> e : map.onInsert().values(side).entrySet()) {
            Column column = table.column(e.getKey()).orElseThrow(() -> new IllegalArgumentException("map '" + map.name()
                    + "': onInsert column '" + e.getKey() + "' is not in " + table.ref()));
            try {
                values.add(value(column, e.getValue()));
            } catch (IllegalArgumentException ex) {
                throw new IllegalArgumentException("map '" + map.name() + "': " + ex.getMessage(), ex);
            }
            columns.add(column);
        }
        return new InsertValues(columns, values);
    }

    /**
     * The canonical value of {@code column} written as {@code text} in the config.
     *
     * @throws IllegalArgumentException saying why, naming the column and its type
     */
    public static Object value(Column column, String text) {
        SqlType type = column.type();
        String refusal = "onInsert value of column '" + column.name() + "' is not " + expected(type);
        try {
            return switch (type.kind()) {
                case BOOLEAN -> switch (text) {
                    case "true" -> Boolean.TRUE;
                    case "false" -> Boolean.FALSE;
                    default -> throw new IllegalArgumentException(refusal);
                };
                case INT16 -> {
                    int i = Integer.parseInt(text);
                    if (i < Short.MIN_VALUE || i > Short.MAX_VALUE) {
                        throw new IllegalArgumentException(refusal);
                    }
                    yield i;
                }
                case DECIMAL -> {
                    BigDecimal d = new BigDecimal(text);
                    yield type.isBoundedDecimal() ? ColumnValues.fitDecimal(d, type) : d;
                }
                case STRING -> {
                    if (type.precision() > 0 && text.codePointCount(0, text.length()) > type.precision()) {
                        throw new IllegalArgumentException("onInsert value of column '" + column.name() + "' is longer than "
                                + type.nativeName() + "(" + type.precision() + ") holds");
                    }
                    yield text;
                }
                case TIMESTAMPTZ -> java.time.OffsetDateTime.parse(text).toInstant();
                case BYTES -> throw new IllegalArgumentException("onInsert cannot set column '" + column.name()
                        + "': binary columns are not supported");
                default -> CanonicalText.parse(text, type);
            };
        } catch (NumberFormatException | DateTimeException e) {
            // their messages quote the text
            throw new IllegalArgumentException(refusal, e);
        } catch (IllegalArgumentException e) {
            throw e.getMessage() != null && e.getMessage().contains(column.name()) ? e
                    : new IllegalArgumentException(refusal + ": " + e.getMessage(), e);
        }
    }

    private static String expected(SqlType type) {
        return switch (type.kind()) {
            case BOOLEAN -> "true or false (" + type.nativeName() + ")";
            case INT16, INT32, INT64 -> "an integer in the range of " + type.nativeName();
            case DECIMAL, FLOAT32, FLOAT64 -> "a number " + type.nativeName() + " holds exactly";
            case DATE -> "an ISO-8601 date (2026-11-30)";
            case TIME -> "an ISO-8601 time (15:04:05)";
            case TIMESTAMP -> "an ISO-8601 timestamp (2026-11-30T15:04:05)";
            case TIMESTAMPTZ -> "an ISO-8601 instant with its offset (2026-11-30T15:04:05Z)";
            case UUID -> "a UUID";
            default -> "a value of " + type.nativeName();
        };
    }
}
