package io.dualsync.launcher.verify;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dualsync.apply.SqlDialect;
import io.dualsync.catalog.Column;
import io.dualsync.catalog.TableSchema;
import io.dualsync.contract.CanonicalText;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/** Reads one row by its row key text ({@code CanonicalText.rowKey}) as canonical values. */
final class RowLookup {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Connection connection;
    private final SqlDialect dialect;
    private final List<Column> keyColumns;
    private final List<Column> columns;
    private final String sql;

    RowLookup(Connection connection, SqlDialect dialect, TableSchema table, List<String> keyColumns, List<String> columns) {
        this.connection = connection;
        this.dialect = dialect;
        this.keyColumns = keyColumns.stream().map(table::requireColumn).toList();
        this.columns = columns.stream().map(table::requireColumn).toList();
        this.sql = "SELECT " + this.columns.stream().map(c -> dialect.quote(c.name())).collect(Collectors.joining(", "))
                + " FROM " + dialect.table(table.ref()) + " WHERE "
                + this.keyColumns.stream().map(c -> dialect.quote(c.name()) + " = " + dialect.placeholder(c))
                .collect(Collectors.joining(" AND "));
    }

    Optional<Map<String, Object>> find(String rowKey) throws SQLException {
        List<String> texts = parse(rowKey);
        try (PreparedStatement ps = connection.prepareStatement(sql)) {
            for (int i = 0; i < keyColumns.size(); i++) {
                Column key = keyColumns.get(i);
                dialect.bind(ps, i + 1, key, CanonicalText.parse(texts.get(i), key.type()));
            }
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                Map<String, Object> row = new LinkedHashMap<>();
                for (int i = 0; i < columns.size(); i++) {
                    row.put(columns.get(i).name(), dialect.read(rs, i + 1, columns.get(i)));
                }
                return Optional.of(row);
            }
        }
    }

    private List<String> parse(String rowKey) {
        try {
            List<String> texts = JSON.readValue(rowKey, new TypeReference<List<String>>() { });
            if (texts.size() != keyColumns.size()) {
                throw new IllegalArgumentException("a row key of " + texts.size() + " values for " + keyColumns.size() + " key columns");
            }
            return texts;
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not a row key", e);
        }
    }
}
