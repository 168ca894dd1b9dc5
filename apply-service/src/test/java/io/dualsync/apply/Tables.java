package io.dualsync.apply;

import io.dualsync.catalog.Column;
import io.dualsync.catalog.SqlType;
import io.dualsync.catalog.TableSchema;
import io.dualsync.config.TableRef;

import java.util.List;

/** Hand-built catalog entries for tests, mirroring the DDL the test runs. */
final class Tables {

    static final String ENDPOINT = "erp";

    private Tables() {
    }

    static TableSchema table(String schema, String table, List<String> primaryKey, Column... columns) {
        return new TableSchema(new TableRef(ENDPOINT, schema, table), List.of(columns), primaryKey, List.of());
    }

    static Column column(String name, SqlType.Kind kind, String nativeName) {
        return new Column(name, SqlType.of(kind, nativeName), true);
    }

    static Column decimal(String name, int precision, int scale) {
        return new Column(name, SqlType.decimal(precision, scale, "numeric"), true);
    }
}
