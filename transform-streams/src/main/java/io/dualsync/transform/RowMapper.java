package io.dualsync.transform;

import io.dualsync.catalog.Column;
import io.dualsync.catalog.TableSchema;
import io.dualsync.config.FieldMap;
import io.dualsync.config.KeyField;
import io.dualsync.config.Side;
import io.dualsync.config.TableMap;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Turns a source row image into the target row a flow writes: the target key and every mapped
 * target column (key columns included), in the target table's column order. A key column uses
 * the field map that pairs the same two columns, when there is one, so a prefixed key is
 * prefixed in the key too.
 */
final class RowMapper {

    /** A target row: its key columns and all mapped columns, canonical values in target types. */
    record TargetRow(Map<String, Object> key, Map<String, Object> columns) {
    }

    private final List<String> keyColumns;
    private final List<ColumnMapping> columns;

    private RowMapper(List<String> keyColumns, List<ColumnMapping> columns) {
        this.keyColumns = List.copyOf(keyColumns);
        this.columns = List.copyOf(columns);
    }

    static RowMapper of(TableMap map, Side from, TableSchema source, TableSchema target, TypeConverter converter) {
        Side to = from.other();
        Map<String, ColumnMapping> byTarget = new LinkedHashMap<>();
        for (FieldMap field : map.fields()) {
            if (field.column(to).isEmpty() || !field.flowsFrom(from)) {
                continue;
            }
            ColumnMapping mapping = ColumnMapping.of(map.name(), field, from, source, target, converter);
            if (byTarget.put(mapping.targetColumn(), mapping) != null) {
                throw new IllegalArgumentException("map '" + map.name() + "': more than one field writes column '"
                        + mapping.targetColumn() + "' of " + target.ref());
            }
        }
        List<String> keyColumns = new ArrayList<>();
        for (KeyField key : map.key()) {
            String targetColumn = key.column(to);
            keyColumns.add(targetColumn);
            ColumnMapping same = byTarget.get(targetColumn);
            if (same == null || !same.sourceColumn().equals(Optional.of(key.column(from)))) {
                byTarget.put(targetColumn, ColumnMapping.plain(key.column(from), targetColumn, source, target, converter));
            }
        }
        List<ColumnMapping> inTableOrder = new ArrayList<>();
        for (Column column : target.columns()) {
            ColumnMapping mapping = byTarget.get(column.name());
            if (mapping != null) {
                inTableOrder.add(mapping);
            }
        }
        return new RowMapper(keyColumns, inTableOrder);
    }

    /** The source columns whose values this flow reads. */
    List<String> sourceColumns() {
        return columns.stream().flatMap(c -> c.sourceColumn().stream()).toList();
    }

    /** Target key columns, in the map's key order. */
    List<String> keyColumns() {
        return keyColumns;
    }

    /** Whether a column of this flow is a reference to another map's rows. */
    boolean hasReferences() {
        return columns.stream().anyMatch(ColumnMapping::isReference);
    }

    /** As {@link #map(Map, Couplings)} for a flow without references. */
    TargetRow map(Map<String, Object> sourceRow) {
        return map(sourceRow, Couplings.NONE);
    }

    /**
     * @param couplings where references are translated
     * @throws MappingException when a column cannot be mapped, or a key column would be null
     * @throws ParentNotSynced  when a reference cannot be translated (yet)
     */
    TargetRow map(Map<String, Object> sourceRow, Couplings couplings) {
        Map<String, Object> values = new LinkedHashMap<>();
        for (ColumnMapping column : columns) {
            values.put(column.targetColumn(), column.valueFor(sourceRow, couplings));
        }
        return new TargetRow(keyOf(values), values);
    }

    /**
     * Only the target key of a source row: what couples it, without translating any reference (a
     * key column is never one).
     *
     * @throws MappingException when a key column cannot be mapped or would be null
     */
    Map<String, Object> key(Map<String, Object> sourceRow) {
        Map<String, Object> values = new LinkedHashMap<>();
        for (ColumnMapping column : columns) {
            if (keyColumns.contains(column.targetColumn())) {
                values.put(column.targetColumn(), column.valueFor(sourceRow, Couplings.NONE));
            }
        }
        return keyOf(values);
    }

    private Map<String, Object> keyOf(Map<String, Object> values) {
        Map<String, Object> key = new LinkedHashMap<>();
        for (String column : keyColumns) {
            Object value = values.get(column);
            if (value == null) {
                throw MappingException.column(column, "key column would be null");
            }
            key.put(column, value);
        }
        return key;
    }
}
