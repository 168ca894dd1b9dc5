package io.dualsync.apply;

import io.dualsync.catalog.Column;
import io.dualsync.catalog.SqlType;
import io.dualsync.config.TableRef;
import io.dualsync.contract.BookkeepingTables;

import java.math.BigDecimal;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * MariaDB (10.7 and later; tested on 11.4): {@code INSERT ... ON DUPLICATE KEY UPDATE c = VALUES(c)},
 * which changes nothing and writes no row event to the binlog when the row already holds the values;
 * bookkeeping tables {@code dualsync_apply_checkpoint} and {@code dualsync_row_state} in the
 * endpoint's database (MariaDB has no schemas inside a database). Every connection runs with
 * {@code time_zone='+00:00'} (a TIMESTAMP column is bound as its UTC wall-clock time) and a strict
 * {@code sql_mode}, so MariaDB raises an error instead of truncating or clamping a value. Values
 * MariaDB would change silently even so (extra fractional digits, out-of-range TIMESTAMPs,
 * characters a column's character set lacks, zero padding of {@code binary(n)}) are refused before
 * binding; see {@link MariaDbValues}.
 */
public final class MariaDbDialect implements SqlDialect {

    static final String CHECKPOINT_TABLE = "dualsync_apply_checkpoint";
    static final String ROW_STATE_TABLE = "dualsync_row_state";

    /**
     * Strict mode for every table (STRICT_ALL_TABLES: an error, not a warning, for a value that
     * does not fit), no zero dates, and no silent change of storage engine.
     */
    static final String SQL_MODE = "STRICT_ALL_TABLES,NO_ZERO_IN_DATE,NO_ZERO_DATE,ERROR_FOR_DIVISION_BY_ZERO,NO_ENGINE_SUBSTITUTION";

    private final String checkpointTable = quote(CHECKPOINT_TABLE);
    private final String rowStateTable = quote(ROW_STATE_TABLE);

    @Override
    public Map<String, String> connectionProperties() {
        return Map.of(
                // MariaDB Connector/J: SET these on every new connection
                "sessionVariables", "time_zone='+00:00',sql_mode='" + SQL_MODE + "'",
                // an upsert that changed nothing reports 0 rows, as on PostgreSQL (the default counts found rows)
                "useAffectedRows", "true");
    }

    @Override
    public String quote(String identifier) {
        // MariaDB docs, "Identifier Names": a backtick inside a quoted identifier is doubled
        return "`" + identifier.replace("`", "``") + "`";
    }

    @Override
    public String table(TableRef table) {
        return quote(table.schema()) + "." + quote(table.table());
    }

    @Override
    public List<String> createBookkeeping() {
        return BookkeepingTables.mariaDbDdl();
    }

    @Override
    public String countBookkeepingTables() {
        return "SELECT count(*) FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE()"
                + " AND TABLE_NAME IN ('" + CHECKPOINT_TABLE + "', '" + ROW_STATE_TABLE + "')";
    }

    @Override
    public String touchCheckpoint() {
        // batches + 1 changes the row every time: MariaDB logs no row event for an UPDATE that changes nothing
        return "INSERT INTO " + checkpointTable + " (worker_id, batches, last_source_position, updated_at) "
                + "VALUES (?, 1, ?, UTC_TIMESTAMP(6)) "
                + "ON DUPLICATE KEY UPDATE batches = batches + 1, "
                + "last_source_position = VALUES(last_source_position), updated_at = VALUES(updated_at)";
    }

    @Override
    public String lockRowStates(int keyCount) {
        return "SELECT row_key, source_position, row_hash FROM " + rowStateTable
                + " WHERE map_name = ? AND target_table = ? AND row_key IN ("
                + String.join(", ", Collections.nCopies(keyCount, "?")) + ") FOR UPDATE";
    }

    @Override
    public String upsertRowState() {
        // ON DUPLICATE KEY UPDATE assigns left to right, each seeing the ones before it: the
        // position, which the others test, is assigned last.
        String newer = "VALUES(source_position) > source_position";
        return "INSERT INTO " + rowStateTable
                + " (map_name, target_table, row_key, source_endpoint, source_position, row_hash, updated_at) "
                + "VALUES (?, ?, ?, ?, ?, ?, UTC_TIMESTAMP(6)) "
                + "ON DUPLICATE KEY UPDATE "
                + "source_endpoint = IF(" + newer + ", VALUES(source_endpoint), source_endpoint), "
                + "row_hash = IF(" + newer + ", VALUES(row_hash), row_hash), "
                + "updated_at = IF(" + newer + ", VALUES(updated_at), updated_at), "
                + "source_position = GREATEST(source_position, VALUES(source_position))";
    }

    /**
     * The caller must have checked that {@code keyColumns} are the table's only unique index
     * (CatalogValidator does for MariaDB targets): ON DUPLICATE KEY fires on any unique index.
     */
    @Override
    public String upsert(TableRef table, List<Column> keyColumns, List<Column> columns, List<Column> insertOnly) {
        Set<String> keyNames = keyColumns.stream().map(Column::name).collect(Collectors.toSet());
        List<Column> updated = columns.stream().filter(c -> !keyNames.contains(c.name())).toList();
        // values set only on create are in the INSERT part alone: ON DUPLICATE KEY UPDATE never assigns them
        List<Column> inserted = java.util.stream.Stream.concat(columns.stream(), insertOnly.stream()).toList();
        String sql = "INSERT INTO " + table(table) + " (" + names(inserted) + ") VALUES ("
                + String.join(", ", Collections.nCopies(inserted.size(), "?")) + ") ON DUPLICATE KEY UPDATE ";
        if (updated.isEmpty()) {
            // a no-op assignment: MariaDB has no DO NOTHING, and INSERT IGNORE would also hide real errors
            String key = quote(keyColumns.getFirst().name());
            return sql + key + " = " + key;
        }
        // a row whose values are all equal is not updated and writes nothing to the binlog
        return sql + updated.stream().map(c -> quote(c.name()) + " = VALUES(" + quote(c.name()) + ")")
                .collect(Collectors.joining(", "));
    }

    @Override
    public String lockRow(TableRef table, List<Column> keyColumns, List<Column> columns) {
        return "SELECT " + names(columns) + " FROM " + table(table) + " WHERE " + keyMatch(keyColumns) + " FOR UPDATE";
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
            // the session's time_zone is +00:00: a TIMESTAMP reads as its UTC wall-clock time
            case TIMESTAMPTZ -> {
                LocalDateTime t = rs.getObject(index, LocalDateTime.class);
                yield t == null ? null : t.toInstant(ZoneOffset.UTC);
            }
            case UUID -> {
                String text = rs.getString(index);
                yield text == null ? null : UUID.fromString(text);
            }
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
        String name = quote(flag.name());
        return "UPDATE " + table(table) + " SET " + name + " = ? WHERE " + keyMatch(keyColumns)
                + " AND NOT (" + name + " <=> ?)";
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
            case INT16, INT32 -> ps.setLong(index, MariaDbValues.integer(column, as(column, value, Integer.class)));
            case INT64 -> ps.setLong(index, MariaDbValues.integer(column, as(column, value, Long.class)));
            case DECIMAL -> ps.setBigDecimal(index, MariaDbValues.decimal(column, as(column, value, BigDecimal.class)));
            // as the double of the same value: the driver sends text, and the float's shortest text
            // (3.4028235E38 for the largest float) lies beyond FLOAT's range when read back as a decimal
            case FLOAT32 -> ps.setDouble(index, MariaDbValues.finite(column, as(column, value, Float.class)));
            case FLOAT64 -> ps.setDouble(index, MariaDbValues.finite(column, as(column, value, Double.class)));
            case STRING -> ps.setString(index, MariaDbValues.text(column, as(column, value, String.class)));
            case JSON -> ps.setString(index, as(column, value, String.class));
            case DATE -> ps.setObject(index, MariaDbValues.date(column, as(column, value, LocalDate.class)));
            case TIME -> ps.setObject(index, MariaDbValues.time(column, as(column, value, LocalTime.class)));
            case TIMESTAMP -> ps.setObject(index, MariaDbValues.datetime(column, as(column, value, LocalDateTime.class)));
            // the session's time_zone is +00:00, so a TIMESTAMP is bound as its UTC wall-clock time
            case TIMESTAMPTZ -> ps.setObject(index, LocalDateTime.ofInstant(
                    MariaDbValues.timestamp(column, as(column, value, Instant.class)), ZoneOffset.UTC));
            case UUID -> ps.setString(index, as(column, value, UUID.class).toString());
            case BYTES -> ps.setBytes(index, MariaDbValues.bytes(column, as(column, value, byte[].class)));
        }
    }

    private String keyMatch(List<Column> keyColumns) {
        return keyColumns.stream().map(c -> quote(c.name()) + " = ?").collect(Collectors.joining(" AND "));
    }

    private String names(List<Column> columns) {
        return columns.stream().map(c -> quote(c.name())).collect(Collectors.joining(", "));
    }

    private static int sqlType(SqlType type) {
        return switch (type.kind()) {
            case BOOLEAN -> Types.BOOLEAN;
            case INT16, INT32, INT64 -> Types.BIGINT;
            case DECIMAL -> Types.DECIMAL;
            case FLOAT32 -> Types.REAL;
            case FLOAT64 -> Types.DOUBLE;
            case STRING, JSON, UUID -> Types.VARCHAR;
            case DATE -> Types.DATE;
            case TIME -> Types.TIME;
            case TIMESTAMP, TIMESTAMPTZ -> Types.TIMESTAMP;
            case BYTES -> Types.VARBINARY;
        };
    }

    private static <T> T as(Column column, Object value, Class<T> expected) {
        if (!expected.isInstance(value)) {
            throw new IllegalArgumentException("column " + column.name() + " (" + column.type().nativeName()
                    + ") takes a " + expected.getSimpleName() + ", not a " + value.getClass().getSimpleName());
        }
        return expected.cast(value);
    }

}
