package io.dualsync.catalog;

import io.dualsync.catalog.SqlType.Kind;
import io.dualsync.config.TableRef;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * Reads one PostgreSQL table from {@code pg_catalog}: columns with their exact types (the type
 * modifier gives numeric precision and scale, varchar length, timestamp precision, which JDBC
 * metadata reports only approximately), the primary key and the unique indexes.
 */
final class PostgresTables {

    /** A column whose type dualsync cannot carry. */
    record Unsupported(String column, String declaredType, String reason) {
    }

    /** The table as read, without its unsupported columns, which are listed separately. */
    record Read(TableSchema table, List<Unsupported> unsupported) {
    }

    private static final String TABLE = """
            SELECT c.oid FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
            WHERE n.nspname = ? AND c.relname = ? AND c.relkind IN ('r', 'p', 'v', 'm', 'f')""";

    // Domains are read as their base type; the declared type is kept for messages.
    private static final String COLUMNS = """
            SELECT a.attname, a.attnotnull, bt.typname, bt.typtype, bt.typcategory,
                   CASE WHEN t.typtype = 'd' THEN t.typtypmod ELSE a.atttypmod END AS typmod,
                   format_type(a.atttypid, a.atttypmod) AS declared
            FROM pg_attribute a
            JOIN pg_type t ON t.oid = a.atttypid
            JOIN pg_type bt ON bt.oid = CASE WHEN t.typtype = 'd' THEN t.typbasetype ELSE t.oid END
            WHERE a.attrelid = ? AND a.attnum > 0 AND NOT a.attisdropped
            ORDER BY a.attnum""";

    // Only plain unique indexes count: INSERT ... ON CONFLICT (cols) needs a unique index whose key
    // columns are exactly cols, without a predicate or expressions (PostgreSQL docs, "ON CONFLICT
    // Clause"). INCLUDE columns (beyond indnkeyatts) are not part of the key.
    private static final String UNIQUE_INDEXES = """
            SELECT i.indisprimary,
                   ARRAY(SELECT a.attname FROM unnest(i.indkey::int2[]) WITH ORDINALITY AS k(attnum, ord)
                         JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.attnum
                         WHERE k.ord <= i.indnkeyatts ORDER BY k.ord) AS columns
            FROM pg_index i JOIN pg_class ic ON ic.oid = i.indexrelid
            WHERE i.indrelid = ? AND i.indisunique AND i.indisvalid AND i.indpred IS NULL AND i.indexprs IS NULL
            ORDER BY ic.relname""";

    private PostgresTables() {
    }

    static Optional<Read> read(Connection connection, TableRef ref) throws SQLException {
        long oid;
        try (PreparedStatement s = connection.prepareStatement(TABLE)) {
            s.setString(1, ref.schema());
            s.setString(2, ref.table());
            try (ResultSet rs = s.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                oid = rs.getLong(1);
            }
        }
        List<Column> columns = new ArrayList<>();
        List<Unsupported> unsupported = new ArrayList<>();
        try (PreparedStatement s = connection.prepareStatement(COLUMNS)) {
            s.setLong(1, oid);
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    String name = rs.getString("attname");
                    String declared = rs.getString("declared");
                    Optional<SqlType> type = type(rs.getString("typname"), rs.getString("typtype"), rs.getString("typcategory"),
                            rs.getInt("typmod"));
                    if (type.isPresent()) {
                        columns.add(new Column(name, type.get(), !rs.getBoolean("attnotnull")));
                    } else {
                        String reason = "A".equals(rs.getString("typcategory")) ? "arrays are not supported"
                                : "dualsync does not support this type";
                        unsupported.add(new Unsupported(name, declared, reason));
                    }
                }
            }
        }
        List<String> primaryKey = List.of();
        List<List<String>> uniqueKeys = new ArrayList<>();
        try (PreparedStatement s = connection.prepareStatement(UNIQUE_INDEXES)) {
            s.setLong(1, oid);
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    Array array = rs.getArray("columns");
                    List<String> cols = Arrays.asList((String[]) array.getArray());
                    array.free();
                    if (rs.getBoolean("indisprimary")) {
                        primaryKey = cols;
                    } else {
                        uniqueKeys.add(cols);
                    }
                }
            }
        }
        return Optional.of(new Read(new TableSchema(ref, columns, primaryKey, uniqueKeys), unsupported));
    }

    /**
     * The dualsync type of a PostgreSQL base type; empty when unsupported.
     *
     * @param typmod the type modifier, -1 when none was declared
     */
    static Optional<SqlType> type(String typname, String typtype, String category, int typmod) {
        if ("e".equals(typtype)) {
            return Optional.of(SqlType.of(Kind.STRING, typname));
        }
        if ("A".equals(category)) {
            return Optional.empty();
        }
        return Optional.ofNullable(switch (typname) {
            case "bool" -> SqlType.of(Kind.BOOLEAN, typname);
            case "int2" -> SqlType.of(Kind.INT16, typname);
            case "int4" -> SqlType.of(Kind.INT32, typname);
            case "int8" -> SqlType.of(Kind.INT64, typname);
            // numeric's typmod is ((precision << 16) | scale) + 4; the scale is a signed 16-bit value.
            case "numeric" -> typmod < 0 ? SqlType.decimal(0, -1, typname)
                    : SqlType.decimal(((typmod - 4) >> 16) & 0xffff, (short) ((typmod - 4) & 0xffff), typname);
            case "float4" -> SqlType.of(Kind.FLOAT32, typname);
            case "float8" -> SqlType.of(Kind.FLOAT64, typname);
            case "text" -> SqlType.of(Kind.STRING, typname);
            // varchar(n) and char(n) store n + 4 in typmod.
            case "varchar", "bpchar" -> new SqlType(Kind.STRING, typmod < 0 ? 0 : typmod - 4, 0, typname);
            case "date" -> SqlType.of(Kind.DATE, typname);
            // time and timestamp store the fractional-second digits; -1 means the default, 6.
            case "time" -> new SqlType(Kind.TIME, typmod < 0 ? 6 : typmod, 0, typname);
            case "timestamp" -> new SqlType(Kind.TIMESTAMP, typmod < 0 ? 6 : typmod, 0, typname);
            case "timestamptz" -> new SqlType(Kind.TIMESTAMPTZ, typmod < 0 ? 6 : typmod, 0, typname);
            case "uuid" -> SqlType.of(Kind.UUID, typname);
            case "json", "jsonb" -> SqlType.of(Kind.JSON, typname);
            case "bytea" -> SqlType.of(Kind.BYTES, typname);
            default -> null;
        });
    }
}
