package io.dualsync.apply;

import io.dualsync.contract.InsertValues;
import io.dualsync.contract.MappedColumns;
import io.dualsync.catalog.Column;
import io.dualsync.catalog.SqlType;
import io.dualsync.config.DeletePolicy;
import io.dualsync.contract.MappedChange;
import io.dualsync.contract.Operation;

import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The statements that write one map's changes into its target table, rendered once by the
 * dialect, and the binding of a change's values to them. Refuses, before any SQL runs, a change
 * whose shape does not match the map (missing or null key values, unknown or missing columns).
 * A row the upsert inserts also gets the map's values set only on create ({@link InsertValues}).
 * Under a soft-delete policy the upsert also clears the soft-delete column (false, or NULL for a
 * timestamp): a row written again, because the source re-created it or it came back into the map's
 * scope, is live again.
 */
final class TableWriter {

    private final SqlDialect dialect;
    private final MappedColumns mapped;
    private final DeletePolicy deletes;
    private final ZoneId zonelessZone;
    private final List<Column> keyColumns;
    private final List<Column> columns;
    private final Column softDeleteColumn;
    private final InsertValues insertValues;
    /** the soft-delete column the upsert sets back to false or NULL, when the map does not write it itself */
    private final Column clearedSoftDelete;
    private final String upsertSql;
    private final String deleteSql;
    private final String softDeleteSql;

    /**
     * @param zonelessZone the zone in which the target's zone-less timestamps are meant; used for a
     *                     soft-delete column of type {@code timestamp}
     */
    TableWriter(SqlDialect dialect, MappedColumns mapped, DeletePolicy deletes, ZoneId zonelessZone) {
        this(dialect, mapped, deletes, zonelessZone, InsertValues.NONE);
    }

    /** @param insertValues the values set only on rows the upsert inserts (the map's {@code onInsert} for this side) */
    TableWriter(SqlDialect dialect, MappedColumns mapped, DeletePolicy deletes, ZoneId zonelessZone, InsertValues insertValues) {
        this.dialect = dialect;
        this.insertValues = insertValues;
        this.mapped = mapped;
        this.deletes = deletes;
        this.zonelessZone = zonelessZone;
        this.keyColumns = mapped.keyColumnDefinitions();
        this.columns = mapped.columnDefinitions();
        if (keyColumns.isEmpty() || !mapped.target().isUniqueKey(mapped.keyColumns())) {
            throw new IllegalArgumentException("map '" + mapped.map() + "': key " + mapped.keyColumns()
                    + " is not the primary key or a unique index of " + mapped.target().ref());
        }
        this.softDeleteColumn = deletes.kind() == DeletePolicy.Kind.SOFT ? softDeleteColumn(mapped, deletes) : null;
        // a row the source holds (again) is not deleted: the upsert clears its soft-delete mark
        this.clearedSoftDelete = softDeleteColumn != null && !mapped.columns().contains(softDeleteColumn.name())
                ? softDeleteColumn : null;
        List<Column> written = new ArrayList<>(columns);
        if (clearedSoftDelete != null) {
            written.add(clearedSoftDelete);
        }
        this.upsertSql = dialect.upsert(mapped.target().ref(), keyColumns, written, insertValues.columns());
        this.deleteSql = dialect.delete(mapped.target().ref(), keyColumns);
        this.softDeleteSql = softDeleteColumn == null ? null
                : dialect.softDelete(mapped.target().ref(), keyColumns, softDeleteColumn);
    }

    DeletePolicy.Kind deleteKind() {
        return deletes.kind();
    }

    String upsertSql() {
        return upsertSql;
    }

    String deleteSql() {
        return deleteSql;
    }

    String softDeleteSql() {
        return softDeleteSql;
    }

    /**
     * The change's key values in key order, after checking the change has the map's shape.
     *
     * @throws IllegalArgumentException naming the column at fault (never a value)
     */
    List<Object> validatedKey(MappedChange change) {
        if (!change.key().keySet().equals(new HashSet<>(mapped.keyColumns()))) {
            throw new IllegalArgumentException("change key has columns " + change.key().keySet()
                    + ", the map's key is " + mapped.keyColumns());
        }
        List<Object> values = new ArrayList<>(keyColumns.size());
        for (String name : mapped.keyColumns()) {
            Object value = change.key().get(name);
            if (value == null) {
                throw new IllegalArgumentException("key column " + name + " is null");
            }
            values.add(value);
        }
        if (change.operation() == Operation.UPSERT) {
            if (!change.columns().keySet().equals(new HashSet<>(mapped.columns()))) {
                throw new IllegalArgumentException("change has columns " + change.columns().keySet()
                        + ", the map writes " + mapped.columns());
            }
            for (String name : mapped.keyColumns()) {
                if (!Objects.deepEquals(change.key().get(name), change.columns().get(name))) {
                    throw new IllegalArgumentException("key and columns of the change disagree on column " + name);
                }
            }
        }
        return values;
    }

    /**
     * The applied image in table column order, as hashed into the bookkeeping: values as the
     * target stores them (a bounded decimal at its column's scale), so the hash equals the one
     * of the row read back (conflict detection).
     */
    Map<String, Object> image(MappedChange change) {
        Map<String, Object> image = new LinkedHashMap<>();
        for (Column c : columns) {
            Object value = change.columns().get(c.name());
            if (value instanceof java.math.BigDecimal d && c.type().isBoundedDecimal()) {
                value = io.dualsync.contract.ColumnValues.fitDecimal(d, c.type());
            }
            image.put(c.name(), value);
        }
        return image;
    }

    void bindUpsert(PreparedStatement ps, MappedChange change) throws SQLException {
        int i = 1;
        for (Column c : columns) {
            dialect.bind(ps, i++, c, change.columns().get(c.name()));
        }
        if (clearedSoftDelete != null) {
            dialect.bind(ps, i++, clearedSoftDelete, clearedSoftDelete.type().kind() == SqlType.Kind.BOOLEAN ? Boolean.FALSE : null);
        }
        for (int v = 0; v < insertValues.columns().size(); v++) {
            dialect.bind(ps, i++, insertValues.columns().get(v), insertValues.values().get(v));
        }
    }

    void bindDelete(PreparedStatement ps, MappedChange change) throws SQLException {
        bindKey(ps, 1, change);
    }

    void bindSoftDelete(PreparedStatement ps, MappedChange change) throws SQLException {
        Object flag = softDeleteValue(change);
        dialect.bind(ps, 1, softDeleteColumn, flag);
        int next = bindKey(ps, 2, change);
        dialect.bind(ps, next, softDeleteColumn, flag);
    }

    private int bindKey(PreparedStatement ps, int first, MappedChange change) throws SQLException {
        int i = first;
        for (Column c : keyColumns) {
            dialect.bind(ps, i++, c, change.key().get(c.name()));
        }
        return i;
    }

    /** {@code true} for a boolean column, else the source commit time (design.md: "the delete time"). */
    private Object softDeleteValue(MappedChange change) {
        return switch (softDeleteColumn.type().kind()) {
            case BOOLEAN -> Boolean.TRUE;
            case TIMESTAMPTZ -> change.sourceCommitTime();
            case TIMESTAMP -> LocalDateTime.ofInstant(change.sourceCommitTime(), zonelessZone);
            default -> throw new IllegalStateException("checked in the constructor");
        };
    }

    private static Column softDeleteColumn(MappedColumns mapped, DeletePolicy deletes) {
        String name = deletes.softDeleteColumn().orElseThrow(() -> new IllegalArgumentException(
                "map '" + mapped.map() + "': soft delete names no column"));
        Column column = mapped.target().column(name).orElseThrow(() -> new IllegalArgumentException(
                "map '" + mapped.map() + "': soft-delete column '" + name + "' is not in " + mapped.target().ref()));
        SqlType.Kind kind = column.type().kind();
        if (kind != SqlType.Kind.BOOLEAN && kind != SqlType.Kind.TIMESTAMP && kind != SqlType.Kind.TIMESTAMPTZ) {
            throw new IllegalArgumentException("map '" + mapped.map() + "': soft-delete column '" + name
                    + "' is " + column.type().nativeName() + "; it must be a boolean or a timestamp");
        }
        return column;
    }
}
