package io.dualsync.catalog;

import io.dualsync.config.TableRef;

import java.util.Map;
import java.util.Optional;

/**
 * The live tables of the endpoints a configuration uses, looked up by reference. Services read
 * it once at start-up ({@link JdbcCatalogReader}) and derive Avro schemas, SQL and validation
 * from it; tests build one from {@link TableSchema}s directly.
 */
public record Catalog(Map<TableRef, TableSchema> tables) {

    public Catalog {
        tables = Map.copyOf(tables);
    }

    public Optional<TableSchema> table(TableRef ref) {
        return Optional.ofNullable(tables.get(ref));
    }

    public TableSchema require(TableRef ref) {
        return table(ref).orElseThrow(() -> new IllegalArgumentException("table " + ref + " is not in the catalog"));
    }
}
