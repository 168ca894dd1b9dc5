package io.dualsync.contract;

import io.dualsync.catalog.Catalog;
import io.dualsync.catalog.Column;
import io.dualsync.catalog.TableSchema;
import io.dualsync.config.FieldMap;
import io.dualsync.config.Side;
import io.dualsync.config.TableMap;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The target columns a table map writes when changes flow from one side to the other — the one
 * rule both transform-streams (writing mapped topics) and apply-service (reading them) must share:
 * the key columns are the target sides of {@code map.key()} in key order; the mapped columns are
 * the target-side columns of the {@code map.fields()} that flow from that side (a field's own
 * direction) plus the key columns, in the target table's column order.
 *
 * @param map        the map's name
 * @param target     the target table as in the catalog
 * @param keyColumns target key columns, in key order
 * @param columns    every target column the map writes, key columns included, in table order
 */
public record MappedColumns(String map, TableSchema target, List<String> keyColumns, List<String> columns) {

    public MappedColumns {
        keyColumns = List.copyOf(keyColumns);
        columns = List.copyOf(columns);
    }

    /** The columns written by {@code map} on the side opposite {@code from}. */
    public static MappedColumns of(TableMap map, Side from, Catalog catalog) {
        Side to = from.other();
        TableSchema target = catalog.require(map.table(to));
        List<String> keys = map.key().stream().map(k -> k.column(to)).toList();
        Set<String> written = new HashSet<>(keys);
        for (FieldMap field : map.fields()) {
            if (field.flowsFrom(from)) { // a one-way field of a bidirectional map writes only one side
                field.column(to).ifPresent(written::add);
            }
        }
        List<String> columns = target.columns().stream().map(Column::name).filter(written::contains).toList();
        if (columns.size() != written.size()) {
            Set<String> unknown = new HashSet<>(written);
            columns.forEach(unknown::remove);
            throw new IllegalArgumentException("map '" + map.name() + "': table " + target.ref()
                    + " has no column(s) " + unknown);
        }
        return new MappedColumns(map.name(), target, keys, columns);
    }

    /** The Avro codec of the mapped topic these columns travel on. */
    public MappedChangeCodec codec() {
        return new MappedChangeCodec(map, target, keyColumns, columns);
    }

    /** The key columns with their catalog types. */
    public List<Column> keyColumnDefinitions() {
        return keyColumns.stream().map(target::requireColumn).toList();
    }

    /** The mapped columns with their catalog types. */
    public List<Column> columnDefinitions() {
        return columns.stream().map(target::requireColumn).toList();
    }
}
