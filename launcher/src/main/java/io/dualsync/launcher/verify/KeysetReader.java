package io.dualsync.launcher.verify;

import io.dualsync.apply.SqlDialect;
import io.dualsync.catalog.Column;
import io.dualsync.catalog.TableSchema;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Collectors;

/**
 * Reads every row of a table in chunks of {@code chunkSize} rows, ordered by a unique key and
 * paginated by it ({@code WHERE key > last ORDER BY key LIMIT n}, "keyset pagination"): each
 * chunk is one short statement, so no cursor or transaction stays open for the length of the
 * table, and only one chunk is in memory. The database both orders and compares the key, so the
 * order is consistent whatever the key's type and collation. Values are read by the
 * {@link SqlDialect} as canonical values, the way apply reads a target row. Rows whose key holds
 * a NULL (allowed by a unique index, never synced) are not read.
 */
final class KeysetReader {

    private final Connection connection;
    private final SqlDialect dialect;
    private final List<Column> keyColumns;
    private final List<Column> columns;
    private final int chunkSize;
    private final String firstChunk;
    private final String nextChunk;
    private final String countRows;
    private final String table;

    /**
     * @param keyColumns a unique key of the table (the map's key on this side)
     * @param columns    the columns to read; key columns are added when missing
     */
    KeysetReader(Connection connection, SqlDialect dialect, TableSchema table, List<String> keyColumns,
                 List<String> columns, int chunkSize) {
        this.connection = connection;
        this.dialect = dialect;
        this.chunkSize = chunkSize;
        this.table = table.ref().toString();
        this.keyColumns = keyColumns.stream().map(table::requireColumn).toList();
        List<String> read = new ArrayList<>(columns);
        keyColumns.stream().filter(k -> !read.contains(k)).forEach(read::add);
        this.columns = read.stream().map(table::requireColumn).toList();
        String select = "SELECT " + this.columns.stream().map(c -> dialect.quote(c.name())).collect(Collectors.joining(", "))
                + " FROM " + dialect.table(table.ref());
        String notNull = this.keyColumns.stream().map(c -> dialect.quote(c.name()) + " IS NOT NULL")
                .collect(Collectors.joining(" AND "));
        String order = " ORDER BY " + this.keyColumns.stream().map(c -> dialect.quote(c.name())).collect(Collectors.joining(", "))
                + " LIMIT " + chunkSize;
        this.firstChunk = select + " WHERE " + notNull + order;
        this.nextChunk = select + " WHERE " + notNull + " AND (" + after() + ")" + order;
        this.countRows = "SELECT count(*) FROM " + dialect.table(table.ref()) + " WHERE " + notNull;
    }

    /**
     * {@code (k1 > ?) OR (k1 = ? AND k2 > ?) OR ...}: written out rather than as a row comparison
     * {@code (k1, k2) > (?, ?)}, which MariaDB does not use an index for.
     */
    private String after() {
        List<String> alternatives = new ArrayList<>();
        for (int i = 0; i < keyColumns.size(); i++) {
            List<String> terms = new ArrayList<>();
            for (int j = 0; j < i; j++) {
                terms.add(dialect.quote(keyColumns.get(j).name()) + " = " + dialect.placeholder(keyColumns.get(j)));
            }
            terms.add(dialect.quote(keyColumns.get(i).name()) + " > " + dialect.placeholder(keyColumns.get(i)));
            alternatives.add("(" + String.join(" AND ", terms) + ")");
        }
        return String.join(" OR ", alternatives);
    }

    /** How many rows {@link #forEach} would read (at the moment of asking). */
    long count() throws SQLException {
        try (PreparedStatement ps = connection.prepareStatement(countRows); ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /** Hands every row, column name to canonical value, to {@code row}, in key order. */
    void forEach(Consumer<Map<String, Object>> row) throws SQLException {
        List<Object> last = null;
        while (true) {
            if (Thread.currentThread().isInterrupted()) {
                throw new IllegalStateException("reading " + table + " was cancelled");
            }
            int read = 0;
            try (PreparedStatement ps = connection.prepareStatement(last == null ? firstChunk : nextChunk)) {
                if (last != null) {
                    bindAfter(ps, last);
                }
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        Map<String, Object> values = new LinkedHashMap<>();
                        for (int i = 0; i < columns.size(); i++) {
                            values.put(columns.get(i).name(), dialect.read(rs, i + 1, columns.get(i)));
                        }
                        row.accept(values);
                        List<Object> key = new ArrayList<>(keyColumns.size());
                        keyColumns.forEach(k -> key.add(values.get(k.name())));
                        last = key;
                        read++;
                    }
                }
            }
            if (read < chunkSize) {
                return;
            }
        }
    }

    private void bindAfter(PreparedStatement ps, List<Object> last) throws SQLException {
        int index = 1;
        for (int i = 0; i < keyColumns.size(); i++) {
            for (int j = 0; j <= i; j++) {
                dialect.bind(ps, index++, keyColumns.get(j), last.get(j));
            }
        }
    }
}
