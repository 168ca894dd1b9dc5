package io.dualsync.apply;

import io.dualsync.catalog.Column;
import io.dualsync.catalog.SqlType;
import io.dualsync.config.TableRef;
import io.dualsync.contract.BookkeepingTables;
import io.dualsync.contract.ColumnValues;

import java.math.BigDecimal;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * PostgreSQL (9.5 and later): {@code INSERT ... ON CONFLICT ... DO UPDATE ... WHERE ... IS DISTINCT
 * FROM ...}, so an upsert of the values a row already holds updates nothing and writes no logical
 * change to the WAL; bookkeeping in schema {@code dualsync}.
 */
public final class PostgresDialect implements SqlDialect {

    static final String SCHEMA = BookkeepingTables.SCHEMA;

    /** Text types a varchar parameter is assigned to without a cast; any other STRING type is cast. */
    private static final Set<String> PLAIN_TEXT_TYPES = Set.of(
            "text", "varchar", "character varying", "bpchar", "char", "character", "name");

    /** Types without an equality operator: compared as text in the upsert's change test. */
    private static final Set<String> COMPARED_AS_TEXT = Set.of("json", "xml");

    private final String checkpointTable = quote(SCHEMA) + "." + quote(BookkeepingTables.CHECKPOINT);
    private final String rowStateTable = quote(SCHEMA) + "." + quote(BookkeepingTables.ROW_STATE);

    @Override
    public String quote(String identifier) {
        // PostgreSQL docs 4.1.1, "Identifiers and Key Words": a quoted identifier doubles embedded quotes
        return "\"" + identifier.replace("\"", "\"\"") + "\"";
    }

    @Override
    public String table(TableRef table) {
        return quote(table.schema()) + "." + quote(table.table());
    }

    @Override
    public List<String> createBookkeeping() {
        // one DDL for apply and capture (capture creates the tables first when it starts first)
        return BookkeepingTables.postgresDdl();
    }

    @Override
    public String countBookkeepingTables() {
        return "SELECT count(*) FROM information_schema.tables WHERE table_schema = '" + SCHEMA
                + "' AND table_name IN ('apply_checkpoint', 'row_state')";
    }

    @Override
    public String touchCheckpoint() {
        return "INSERT INTO " + checkpointTable + " AS c (worker_id, batches, last_source_position, updated_at) "
                + "VALUES (?, 1, ?, clock_timestamp()) "
                + "ON CONFLICT (worker_id) DO UPDATE SET batches = c.batches + 1, "
                + "last_source_position = EXCLUDED.last_source_position, updated_at = EXCLUDED.updated_at";
    }

    @Override
    public String lockRowStates(int keyCount) {
        return "SELECT row_key, source_position, row_hash FROM " + rowStateTable
                + " WHERE map_name = ? AND target_table = ? AND row_key IN (" + placeholders(keyCount) + ")"
                + " FOR UPDATE";
    }

    @Override
    public String upsertRowState() {
        return "INSERT INTO " + rowStateTable + " AS s "
                + "(map_name, target_table, row_key, source_endpoint, source_position, row_hash, updated_at) "
                + "VALUES (?, ?, ?, ?, ?, ?, clock_timestamp()) "
                + "ON CONFLICT (map_name, target_table, row_key) DO UPDATE SET "
                + "source_endpoint = EXCLUDED.source_endpoint, source_position = EXCLUDED.source_position, "
                + "row_hash = EXCLUDED.row_hash, updated_at = EXCLUDED.updated_at "
                + "WHERE s.source_position < EXCLUDED.source_position";
    }

    @Override
    public String upsert(TableRef table, List<Column> keyColumns, List<Column> columns, List<Column> insertOnly) {
        Set<String> keyNames = keyColumns.stream().map(Column::name).collect(Collectors.toSet());
        List<Column> updated = columns.stream().filter(c -> !keyNames.contains(c.name())).toList();
        // values set only on create are in the INSERT part alone: DO UPDATE never assigns them
        List<Column> inserted = java.util.stream.Stream.concat(columns.stream(), insertOnly.stream()).toList();
        String sql = "INSERT INTO " + table(table) + " AS t (" + names(inserted) + ") VALUES ("
                + inserted.stream().map(this::placeholder).collect(Collectors.joining(", ")) + ")"
                + " ON CONFLICT (" + names(keyColumns) + ")";
        if (updated.isEmpty()) {
            return sql + " DO NOTHING";
        }
        return sql + " DO UPDATE SET "
                + updated.stream().map(c -> quote(c.name()) + " = EXCLUDED." + quote(c.name()))
                .collect(Collectors.joining(", "))
                // the row is rewritten only when some value differs (design.md, write discipline)
                + " WHERE ROW(" + comparable(updated, "t") + ") IS DISTINCT FROM ROW("
                + comparable(updated, "EXCLUDED") + ")";
    }

    @Override
    public String lockRow(TableRef table, List<Column> keyColumns, List<Column> columns) {
        return "SELECT " + comparable(columns, "t") + " FROM " + table(table) + " AS t WHERE "
                + keyColumns.stream().map(c -> "t." + quote(c.name()) + " = " + placeholder(c)).collect(Collectors.joining(" AND "))
                + " FOR UPDATE";
    }

    @Override
    public Object read(java.sql.ResultSet rs, int index, Column column) throws SQLException {
        Object value = switch (column.type().kind()) {
            case BOOLEAN -> rs.getBoolean(index);
            case INT16, INT32 -> rs.getInt(index);
            case INT64 -> rs.getLong(index);
            case DECIMAL -> rs.getBigDecimal(index);
            case FLOAT32 -> rs.getFloat(index);
            case FLOAT64 -> rs.getDouble(index);
            case STRING, JSON -> rs.getString(index);
            case DATE -> rs.getObject(index, LocalDate.class);
            case TIME -> rs.getObject(index, LocalTime.class);
            case TIMESTAMP -> rs.getObject(index, LocalDateTime.class);
            case TIMESTAMPTZ -> {
                java.time.OffsetDateTime t = rs.getObject(index, java.time.OffsetDateTime.class);
                yield t == null ? null : t.toInstant();
            }
            case UUID -> rs.getObject(index, UUID.class);
            case BYTES -> rs.getBytes(index);
        };
        return rs.wasNull() ? null : value;
    }

    @Override
    public String delete(TableRef table, List<Column> keyColumns) {
        return "DELETE FROM " + table(table) + " WHERE " + keyMatch(keyColumns);
    }

    @Override
    public String softDelete(TableRef table, List<Column> keyColumns, Column flag) {
        return "UPDATE " + table(table) + " SET " + quote(flag.name()) + " = " + placeholder(flag)
                + " WHERE " + keyMatch(keyColumns)
                + " AND " + quote(flag.name()) + " IS DISTINCT FROM " + placeholder(flag);
    }

    @Override
    public void bind(PreparedStatement ps, int index, Column column, Object value) throws SQLException {
        SqlType type = column.type();
        if (value == null) {
            ps.setNull(index, sqlType(type));
            return;
        }
        switch (type.kind()) {
            case BOOLEAN -> ps.setBoolean(index, as(column, value, Boolean.class));
            case INT16 -> ps.setShort(index, toShort(column, as(column, value, Integer.class)));
            case INT32 -> ps.setInt(index, as(column, value, Integer.class));
            case INT64 -> ps.setLong(index, as(column, value, Long.class));
            case DECIMAL -> {
                BigDecimal d = as(column, value, BigDecimal.class);
                // PostgreSQL would round extra fractional digits silently: refuse them instead
                ps.setBigDecimal(index, type.isBoundedDecimal() ? fit(column, d) : d);
            }
            case FLOAT32 -> ps.setFloat(index, as(column, value, Float.class));
            case FLOAT64 -> ps.setDouble(index, as(column, value, Double.class));
            case STRING, JSON -> ps.setString(index, as(column, value, String.class));
            case DATE -> ps.setObject(index, as(column, value, LocalDate.class));
            case TIME -> {
                LocalTime t = as(column, value, LocalTime.class);
                requireMicros(column, t.getNano());
                ps.setObject(index, t);
            }
            case TIMESTAMP -> {
                LocalDateTime t = as(column, value, LocalDateTime.class);
                requireMicros(column, t.getNano());
                ps.setObject(index, t);
            }
            case TIMESTAMPTZ -> {
                Instant t = as(column, value, Instant.class);
                requireMicros(column, t.getNano());
                ps.setObject(index, t.atOffset(ZoneOffset.UTC));
            }
            case UUID -> ps.setObject(index, as(column, value, UUID.class));
            case BYTES -> ps.setBytes(index, as(column, value, byte[].class));
        }
    }

    /** The parameter marker for a column, with a cast where a text parameter needs one. */
    @Override
    public String placeholder(Column column) {
        SqlType type = column.type();
        return switch (type.kind()) {
            case JSON -> baseName(type).equals("json") ? "?::json" : "?::jsonb";
            // enums, citext, xml, domains: PostgreSQL does not assign a varchar parameter to them
            case STRING -> baseName(type).isEmpty() || PLAIN_TEXT_TYPES.contains(baseName(type))
                    ? "?" : "CAST(? AS " + typeName(type.nativeName()) + ")";
            default -> "?";
        };
    }

    private String comparable(List<Column> columns, String alias) {
        return columns.stream().map(c -> {
            String ref = alias + "." + quote(c.name());
            return COMPARED_AS_TEXT.contains(baseName(c.type())) ? ref + "::text" : ref;
        }).collect(Collectors.joining(", "));
    }

    /** The native type name in lower case without a length or precision suffix: {@code varchar(20)} is {@code varchar}. */
    private static String baseName(SqlType type) {
        String name = type.nativeName() == null ? "" : type.nativeName().toLowerCase(Locale.ROOT);
        int paren = name.indexOf('(');
        return (paren < 0 ? name : name.substring(0, paren)).trim();
    }

    private String keyMatch(List<Column> keyColumns) {
        return keyColumns.stream().map(c -> quote(c.name()) + " = " + placeholder(c))
                .collect(Collectors.joining(" AND "));
    }

    private String names(List<Column> columns) {
        return columns.stream().map(c -> quote(c.name())).collect(Collectors.joining(", "));
    }

    /** A possibly schema-qualified type name from the catalog, each part quoted. */
    private String typeName(String nativeName) {
        return Arrays.stream(nativeName.split("\\."))
                .map(part -> part.startsWith("\"") && part.endsWith("\"") && part.length() > 1
                        ? part.substring(1, part.length() - 1).replace("\"\"", "\"") : part)
                .map(this::quote)
                .collect(Collectors.joining("."));
    }

    private static String placeholders(int count) {
        return String.join(", ", java.util.Collections.nCopies(count, "?"));
    }

    private static int sqlType(SqlType type) {
        return switch (type.kind()) {
            case BOOLEAN -> Types.BOOLEAN;
            case INT16 -> Types.SMALLINT;
            case INT32 -> Types.INTEGER;
            case INT64 -> Types.BIGINT;
            case DECIMAL -> Types.NUMERIC;
            case FLOAT32 -> Types.REAL;
            case FLOAT64 -> Types.DOUBLE;
            case STRING, JSON -> Types.VARCHAR;
            case DATE -> Types.DATE;
            case TIME -> Types.TIME;
            case TIMESTAMP -> Types.TIMESTAMP;
            case TIMESTAMPTZ -> Types.TIMESTAMP_WITH_TIMEZONE;
            case UUID -> Types.OTHER;
            case BYTES -> Types.BINARY;
        };
    }

    private static <T> T as(Column column, Object value, Class<T> expected) {
        if (!expected.isInstance(value)) {
            throw new IllegalArgumentException("column " + column.name() + " (" + column.type().nativeName()
                    + ") takes a " + expected.getSimpleName() + ", not a " + value.getClass().getSimpleName());
        }
        return expected.cast(value);
    }

    private static short toShort(Column column, int value) {
        if (value < Short.MIN_VALUE || value > Short.MAX_VALUE) {
            throw new IllegalArgumentException("value out of range for column " + column.name()
                    + " (" + column.type().nativeName() + ")");
        }
        return (short) value;
    }

    private static BigDecimal fit(Column column, BigDecimal d) {
        try {
            return ColumnValues.fitDecimal(d, column.type());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("column " + column.name() + ": " + e.getMessage(), e);
        }
    }

    /** PostgreSQL keeps microseconds and would round nanoseconds silently: refuse them instead. */
    private static void requireMicros(Column column, int nanos) {
        if (nanos % 1_000 != 0) {
            throw new IllegalArgumentException("column " + column.name() + " (" + column.type().nativeName()
                    + ") keeps microseconds; the value has nanoseconds that would be rounded");
        }
    }
}
