package io.dualsync.catalog;

import io.dualsync.config.TableRef;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A table as it is in the live database: columns in ordinal order, the primary key, and every
 * unique index (each as its column list). Read by {@link JdbcCatalogReader}; built by hand in
 * unit tests.
 */
public record TableSchema(TableRef ref, List<Column> columns, List<String> primaryKey,
                          List<List<String>> uniqueKeys) {

    public TableSchema {
        columns = List.copyOf(columns);
        primaryKey = List.copyOf(primaryKey);
        uniqueKeys = uniqueKeys.stream().map(List::copyOf).toList();
    }

    public Optional<Column> column(String name) {
        return columns.stream().filter(c -> c.name().equals(name)).findFirst();
    }

    public Column requireColumn(String name) {
        return column(name).orElseThrow(() -> new IllegalArgumentException(
                "table " + ref + " has no column '" + name + "'"));
    }

    public Map<String, Column> columnsByName() {
        Map<String, Column> byName = new LinkedHashMap<>();
        columns.forEach(c -> byName.put(c.name(), c));
        return byName;
    }

    /** Whether the primary key or some unique index has exactly these columns (in any order). */
    public boolean isUniqueKey(List<String> cols) {
        Set<String> wanted = Set.copyOf(cols);
        if (!primaryKey.isEmpty() && Set.copyOf(primaryKey).equals(wanted)) {
            return true;
        }
        return uniqueKeys.stream().anyMatch(u -> Set.copyOf(u).equals(wanted));
    }
}
