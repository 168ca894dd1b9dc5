package io.dualsync.launcher.demo;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Compares one ERP row, column by column, with the values it should hold. Decimals must match
 * digit for digit (same scale), timestamps as instants, text character for character.
 */
final class RowCheck {

    private RowCheck() {
    }

    /** The row's columns, or empty when there is no such row. */
    static Optional<Map<String, Object>> read(Connection c, String table, String keyColumn, Object key) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("select * from " + table + " where " + keyColumn + " = ?")) {
            s.setObject(1, key);
            try (ResultSet rs = s.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                Map<String, Object> row = new LinkedHashMap<>();
                for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
                    row.put(rs.getMetaData().getColumnName(i), value(rs, i));
                }
                return Optional.of(row);
            }
        }
    }

    /**
     * A column as a comparable value: instants for PostgreSQL's timestamptz and MariaDB's
     * TIMESTAMP (read in the session zone, which the demo sets to UTC), LocalDate for dates.
     */
    private static Object value(ResultSet rs, int i) throws SQLException {
        String type = rs.getMetaData().getColumnTypeName(i);
        if ("timestamptz".equalsIgnoreCase(type)) {
            OffsetDateTime t = rs.getObject(i, OffsetDateTime.class);
            return t == null ? null : t.toInstant();
        }
        if ("timestamp".equalsIgnoreCase(type) && rs.getMetaData().getColumnClassName(i).contains("Timestamp")
                && isMariaDb(rs)) {
            LocalDateTime t = rs.getObject(i, LocalDateTime.class);
            return t == null ? null : t.toInstant(ZoneOffset.UTC);
        }
        Object v = rs.getObject(i);
        return v instanceof java.sql.Date d ? d.toLocalDate() : v;
    }

    private static boolean isMariaDb(ResultSet rs) throws SQLException {
        return rs.getStatement().getConnection().getMetaData().getDatabaseProductName().toLowerCase().contains("mariadb");
    }

    /** Empty when the row exists and every expected column equals; else the differing column names. */
    static Optional<String> matches(Connection c, String table, String keyColumn, Object key, Map<String, Object> expected)
            throws SQLException {
        Optional<Map<String, Object>> row = read(c, table, keyColumn, key);
        if (row.isEmpty()) {
            return Optional.of("no row yet");
        }
        StringBuilder differing = new StringBuilder();
        for (Map.Entry<String, Object> e : expected.entrySet()) {
            if (!same(e.getValue(), row.get().get(e.getKey()))) {
                differing.append(differing.isEmpty() ? "differs in " : ", ").append(e.getKey());
            }
        }
        return differing.isEmpty() ? Optional.empty() : Optional.of(differing.toString());
    }

    static Optional<String> absent(Connection c, String table, String keyColumn, Object key) throws SQLException {
        return read(c, table, keyColumn, key).isPresent() ? Optional.of("row still there") : Optional.empty();
    }

    /** The row's version as {@link DemoErp#rowVersionSql()} reads it; changes on every rewrite. */
    static String version(Connection c, DemoErp erp, Object key) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(erp.rowVersionSql())) {
            s.setObject(1, key);
            try (ResultSet rs = s.executeQuery()) {
                return rs.next() ? rs.getString(1) : null;
            }
        }
    }

    private static boolean same(Object expected, Object actual) {
        if (expected instanceof BigDecimal e && actual instanceof BigDecimal a) {
            return e.equals(a); // scale included: 10 places must arrive as 10 places
        }
        if (expected instanceof Instant e && actual instanceof Instant a) {
            return e.equals(a);
        }
        return Objects.equals(expected, actual);
    }
}
