package io.dualsync.capture;

import io.dualsync.config.EndpointKind;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;

/**
 * An SQL condition "the column, as text, equals this value" for Debezium's
 * {@code additional-conditions} (which take SQL text, not parameters), with the value written so
 * that none of its characters is interpreted: on PostgreSQL {@code "col"::text = $q$value$q$}
 * (dollar quoting, with a tag the value does not contain), on MariaDB
 * {@code CAST(`col` AS CHAR CHARACTER SET utf8mb4) COLLATE utf8mb4_bin = CONVERT(X'hex' USING utf8mb4) COLLATE utf8mb4_bin}. Compared as text because the value
 * comes in canonical text ({@code CanonicalText#format}) whatever the column's type; the cost is
 * that no index on the column helps, which an incremental snapshot (a scan in key order) does not
 * use anyway.
 */
public final class ColumnEquals {

    private ColumnEquals() {
    }

    public static String sql(EndpointKind kind, String column, String value) {
        if (kind == EndpointKind.POSTGRES) {
            String tag = "q";
            while (value.contains("$" + tag + "$")) {
                tag = tag + "q";
            }
            return CapturePreconditions.quoteIdent(column) + "::text = $" + tag + "$" + value + "$" + tag + "$";
        }
        // binary collation: MariaDB's default ones would also match another case of the value
        return "CAST(`" + column.replace("`", "``") + "` AS CHAR CHARACTER SET utf8mb4) COLLATE utf8mb4_bin = CONVERT(X'"
                + HexFormat.of().formatHex(value.getBytes(StandardCharsets.UTF_8)) + "' USING utf8mb4) COLLATE utf8mb4_bin";
    }
}
