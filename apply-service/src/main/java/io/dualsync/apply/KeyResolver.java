package io.dualsync.apply;

import io.dualsync.catalog.Column;
import io.dualsync.catalog.SqlType;
import io.dualsync.config.KeyMatching;
import io.dualsync.contract.MappedChange;
import io.dualsync.contract.MappedColumns;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * Match-based coupling with a lenient {@link KeyMatching} ({@code ignore-case}, {@code trim}): finds
 * the target row a change's key matches although spelled differently, and gives the change that
 * row's own key, so the change updates or deletes it and the target keeps its key (it is never
 * respelled by the other side). A row whose key matches exactly is preferred; when none matches,
 * the change keeps its key (an insert creates the row as the source spells it); when several
 * rows match and none exactly, the change is refused: which one is meant is for an operator to say.
 * Text key columns are compared through SQL's {@code LOWER}/{@code TRIM}, other columns exactly.
 */
final class KeyResolver {

    private final SqlDialect dialect;
    private final KeyMatching matching;
    private final List<Column> keyColumns;
    private final String findSql;

    KeyResolver(SqlDialect dialect, MappedColumns mapped, KeyMatching matching) {
        this.dialect = dialect;
        this.matching = matching;
        this.keyColumns = mapped.keyColumnDefinitions();
        this.findSql = "SELECT " + keyColumns.stream().map(c -> dialect.quote(c.name())).collect(Collectors.joining(", "))
                + " FROM " + dialect.table(mapped.target().ref()) + " WHERE "
                + keyColumns.stream().map(this::condition).collect(Collectors.joining(" AND "));
    }

    /** Whether this map couples rows by anything but exact key equality (else {@link #resolve} is the identity). */
    boolean lenient() {
        return !matching.isExact() && keyColumns.stream().anyMatch(KeyResolver::isText);
    }

    private String condition(Column c) {
        if (!isText(c)) {
            return dialect.quote(c.name()) + " = ?";
        }
        String column = dialect.quote(c.name());
        if (matching.trims()) {
            column = "TRIM(" + column + ")";
        }
        if (matching.ignoresCase()) {
            column = "LOWER(" + column + ")";
        }
        return column + " = ?";
    }

    private static boolean isText(Column c) {
        return c.type().kind() == SqlType.Kind.STRING;
    }

    /**
     * The change addressed to the target row its key matches (key values, and the key columns among
     * its columns, as that row holds them); the change itself when no other spelling matches.
     *
     * @throws IllegalArgumentException when several target rows match and none exactly (no values in the message)
     */
    MappedChange resolve(Connection connection, MappedChange change) throws SQLException {
        if (!lenient()) {
            return change;
        }
        List<Map<String, Object>> found = new ArrayList<>();
        try (PreparedStatement ps = connection.prepareStatement(findSql)) {
            int i = 1;
            for (Column c : keyColumns) {
                Object value = change.key().get(c.name());
                if (isText(c)) {
                    ps.setString(i++, (String) matching.comparable(value));
                } else {
                    dialect.bind(ps, i++, c, value);
                }
            }
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    Map<String, Object> key = new LinkedHashMap<>();
                    for (int col = 0; col < keyColumns.size(); col++) {
                        key.put(keyColumns.get(col).name(), dialect.read(rs, col + 1, keyColumns.get(col)));
                    }
                    found.add(key);
                }
            }
        }
        if (found.isEmpty() || found.stream().anyMatch(k -> sameKey(k, change.key()))) {
            return change;
        }
        if (found.size() > 1) {
            throw new IllegalArgumentException(found.size() + " rows of the target match the change's key under keyMatching "
                    + matching.configName() + " and none exactly: resolve the duplicates in the target");
        }
        return withKey(change, found.getFirst());
    }

    private static boolean sameKey(Map<String, Object> row, Map<String, Object> key) {
        for (Map.Entry<String, Object> e : row.entrySet()) {
            if (!Objects.equals(e.getValue(), key.get(e.getKey()))) {
                return false;
            }
        }
        return true;
    }

    private static MappedChange withKey(MappedChange change, Map<String, Object> key) {
        Map<String, Object> columns = new LinkedHashMap<>(change.columns());
        key.forEach((column, value) -> {
            if (columns.containsKey(column)) {
                columns.put(column, value);
            }
        });
        return new MappedChange(change.operation(), change.map(), change.targetTable(), change.sourceEndpoint(),
                change.sourcePosition(), change.sourceTxId(), change.sourceCommitTime(), change.companyId(), key, columns);
    }
}
