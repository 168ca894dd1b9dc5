package io.dualsync.catalog;

import io.dualsync.catalog.SqlType.Kind;
import io.dualsync.config.TableRef;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads one MariaDB table from {@code information_schema} (the table's schema is its database):
 * columns with their exact types, the primary key and the unique indexes. The mapping, and why:
 * {@code tinyint(1)} (MariaDB's {@code boolean}) is BOOLEAN; unsigned integers widen to the next
 * kind that holds their whole range ({@code bigint unsigned} to DECIMAL(20,0)); {@code datetime} is
 * TIMESTAMP (a wall-clock time, meant in the endpoint's {@code timezone}); {@code timestamp} is
 * TIMESTAMPTZ (MariaDB stores it as a UTC instant); {@code json} is MariaDB's alias for
 * {@code longtext} with a {@code json_valid} check, recognised by that check. A text column whose
 * character set is not {@code utf8mb4} carries it in its native name
 * ({@code varchar character set utf8mb3}) so that writers can refuse characters it cannot store.
 */
final class MariaDbTables {

    private static final String TABLE = """
            SELECT 1 FROM information_schema.TABLES WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ?""";

    private static final String COLUMNS = """
            SELECT COLUMN_NAME, IS_NULLABLE, DATA_TYPE, COLUMN_TYPE, CHARACTER_MAXIMUM_LENGTH,
                   NUMERIC_PRECISION, NUMERIC_SCALE, DATETIME_PRECISION, CHARACTER_SET_NAME
            FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ?
            ORDER BY ORDINAL_POSITION""";

    /** MariaDB's JSON columns: {@code CHECK (json_valid(`c`))}, named after the column. */
    private static final String JSON_CHECKS = """
            SELECT CHECK_CLAUSE FROM information_schema.CHECK_CONSTRAINTS
            WHERE CONSTRAINT_SCHEMA = ? AND TABLE_NAME = ?""";
    private static final Pattern JSON_VALID = Pattern.compile("json_valid\\(`((?:[^`]|``)+)`\\)", Pattern.CASE_INSENSITIVE);

    // NON_UNIQUE = 0: the primary key and unique indexes; every one of them fires an
    // INSERT ... ON DUPLICATE KEY UPDATE (MariaDB docs, "INSERT ON DUPLICATE KEY UPDATE").
    private static final String UNIQUE_INDEXES = """
            SELECT INDEX_NAME, COLUMN_NAME FROM information_schema.STATISTICS
            WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ? AND NON_UNIQUE = 0
            ORDER BY INDEX_NAME, SEQ_IN_INDEX""";

    private MariaDbTables() {
    }

    static Optional<PostgresTables.Read> read(Connection connection, TableRef ref) throws SQLException {
        if (!exists(connection, ref)) {
            return Optional.empty();
        }
        Set<String> jsonColumns = jsonColumns(connection, ref);
        List<Column> columns = new ArrayList<>();
        List<PostgresTables.Unsupported> unsupported = new ArrayList<>();
        try (PreparedStatement s = prepare(connection, COLUMNS, ref); ResultSet rs = s.executeQuery()) {
            while (rs.next()) {
                String name = rs.getString("COLUMN_NAME");
                String columnType = rs.getString("COLUMN_TYPE");
                Optional<SqlType> type = jsonColumns.contains(name)
                        ? Optional.of(SqlType.of(Kind.JSON, "json"))
                        : type(rs.getString("DATA_TYPE"), columnType, rs.getLong("CHARACTER_MAXIMUM_LENGTH"),
                        rs.getInt("NUMERIC_PRECISION"), rs.getInt("NUMERIC_SCALE"), rs.getInt("DATETIME_PRECISION"),
                        rs.getString("CHARACTER_SET_NAME"));
                if (type.isPresent()) {
                    columns.add(new Column(name, type.get(), "YES".equals(rs.getString("IS_NULLABLE"))));
                } else {
                    unsupported.add(new PostgresTables.Unsupported(name, columnType, "dualsync does not support this type"));
                }
            }
        }
        List<String> primaryKey = List.of();
        Map<String, List<String>> uniqueIndexes = new LinkedHashMap<>();
        try (PreparedStatement s = prepare(connection, UNIQUE_INDEXES, ref); ResultSet rs = s.executeQuery()) {
            while (rs.next()) {
                uniqueIndexes.computeIfAbsent(rs.getString("INDEX_NAME"), n -> new ArrayList<>()).add(rs.getString("COLUMN_NAME"));
            }
        }
        List<List<String>> uniqueKeys = new ArrayList<>();
        for (Map.Entry<String, List<String>> index : uniqueIndexes.entrySet()) {
            if (index.getKey().equals("PRIMARY")) {
                primaryKey = index.getValue();
            } else {
                uniqueKeys.add(index.getValue());
            }
        }
        return Optional.of(new PostgresTables.Read(new TableSchema(ref, columns, primaryKey, uniqueKeys), unsupported));
    }

    /**
     * The dualsync type of a MariaDB column; empty when unsupported.
     *
     * @param dataType   {@code information_schema.COLUMNS.DATA_TYPE}, e.g. {@code int}
     * @param columnType {@code COLUMN_TYPE}, e.g. {@code int(10) unsigned}, {@code tinyint(1)}
     */
    static Optional<SqlType> type(String dataType, String columnType, long charLength, int precision, int scale,
                                  int fractionDigits, String charset) {
        String data = dataType.toLowerCase(Locale.ROOT);
        String full = columnType.toLowerCase(Locale.ROOT);
        boolean unsigned = full.contains("unsigned");
        return Optional.ofNullable(switch (data) {
            case "tinyint" -> full.startsWith("tinyint(1)") && !unsigned ? SqlType.of(Kind.BOOLEAN, "tinyint(1)")
                    : SqlType.of(Kind.INT16, named("tinyint", unsigned));
            case "smallint" -> SqlType.of(unsigned ? Kind.INT32 : Kind.INT16, named(data, unsigned));
            case "mediumint" -> SqlType.of(Kind.INT32, named(data, unsigned));
            case "int" -> SqlType.of(unsigned ? Kind.INT64 : Kind.INT32, named(data, unsigned));
            case "bigint" -> unsigned ? SqlType.decimal(20, 0, "bigint unsigned") : SqlType.of(Kind.INT64, data);
            // unsigned decimals are deprecated and hold the same digits: the range check is MariaDB's (strict mode)
            case "decimal" -> SqlType.decimal(precision, scale, named(data, unsigned));
            case "float" -> SqlType.of(Kind.FLOAT32, named(data, unsigned));
            case "double" -> SqlType.of(Kind.FLOAT64, named(data, unsigned));
            case "char", "varchar" -> new SqlType(Kind.STRING, (int) charLength, 0, withCharset(data, charset));
            case "tinytext", "text", "mediumtext", "longtext", "enum", "set" ->
                    new SqlType(Kind.STRING, 0, 0, withCharset(data, charset));
            case "date" -> SqlType.of(Kind.DATE, data);
            case "time" -> new SqlType(Kind.TIME, fractionDigits, 0, data);
            case "datetime" -> new SqlType(Kind.TIMESTAMP, fractionDigits, 0, data);
            case "timestamp" -> new SqlType(Kind.TIMESTAMPTZ, fractionDigits, 0, data);
            case "uuid" -> SqlType.of(Kind.UUID, data);
            case "binary", "varbinary" -> new SqlType(Kind.BYTES, (int) charLength, 0, data);
            case "tinyblob", "blob", "mediumblob", "longblob" -> SqlType.of(Kind.BYTES, data);
            default -> null;
        });
    }

    private static String named(String type, boolean unsigned) {
        return unsigned ? type + " unsigned" : type;
    }

    /** {@code varchar} for utf8mb4 (what dualsync expects), else {@code varchar character set <cs>}. */
    private static String withCharset(String type, String charset) {
        return charset == null || charset.equalsIgnoreCase("utf8mb4") ? type
                : type + " character set " + charset.toLowerCase(Locale.ROOT);
    }

    private static boolean exists(Connection connection, TableRef ref) throws SQLException {
        try (PreparedStatement s = prepare(connection, TABLE, ref); ResultSet rs = s.executeQuery()) {
            return rs.next();
        }
    }

    private static Set<String> jsonColumns(Connection connection, TableRef ref) throws SQLException {
        Set<String> columns = new HashSet<>();
        try (PreparedStatement s = prepare(connection, JSON_CHECKS, ref); ResultSet rs = s.executeQuery()) {
            while (rs.next()) {
                Matcher m = JSON_VALID.matcher(rs.getString(1).trim());
                if (m.matches()) {
                    columns.add(m.group(1).replace("``", "`"));
                }
            }
        }
        return columns;
    }

    private static PreparedStatement prepare(Connection connection, String sql, TableRef ref) throws SQLException {
        PreparedStatement s = connection.prepareStatement(sql);
        s.setString(1, ref.schema());
        s.setString(2, ref.table());
        return s;
    }
}
