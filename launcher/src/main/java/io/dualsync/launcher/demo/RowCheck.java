package io.dualsync.launcher.demo;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
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
                    String type = rs.getMetaData().getColumnTypeName(i);
                    Object v = "timestamptz".equals(type) ? rs.getObject(i, OffsetDateTime.class) : rs.getObject(i);
                    row.put(rs.getMetaData().getColumnName(i), v instanceof OffsetDateTime o ? o.toInstant() : v);
                }
                return Optional.of(row);
            }
        }
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

    static long xmin(Connection c, String table, String keyColumn, Object key) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("select xmin::text::bigint from " + table + " where " + keyColumn + " = ?")) {
            s.setObject(1, key);
            try (ResultSet rs = s.executeQuery()) {
                return rs.next() ? rs.getLong(1) : -1;
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
