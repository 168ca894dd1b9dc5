package io.dualsync.launcher.verify;

import io.dualsync.apply.SqlDialect;
import io.dualsync.catalog.Catalog;
import io.dualsync.config.SyncConfig;
import io.dualsync.config.TableMap;
import io.dualsync.contract.CanonicalText;
import io.dualsync.contract.MappedColumns;
import io.dualsync.transform.ExpectedRows;
import io.dualsync.transform.MappingException;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * For {@code --show-values}: reads the listed differing rows again, by key, on both sides and
 * names the mapped columns whose canonical text differs, with the value the source maps to and
 * the value the target holds. Values go to the command's output only, never to a log.
 */
final class ValueDifferences {

    /** One differing column: what the source row maps to, what the target row holds. */
    record Column(String name, String expected, String actual) {
    }

    /** The differing columns of one row; empty when the row no longer differs or is gone. */
    record Row(String targetKey, String sourceKey, List<Column> columns) {
    }

    private ValueDifferences() {
    }

    static List<Row> of(SyncConfig config, Catalog catalog, DirectionResult result, Connection source,
                        SqlDialect sourceDialect, Connection target, SqlDialect targetDialect) throws SQLException {
        VerifiedDirection direction = result.direction();
        TableMap map = direction.map();
        ExpectedRows expected = ExpectedRows.of(config, catalog, map, direction.from());
        MappedColumns mapped = MappedColumns.of(map, direction.from(), catalog);
        RowLookup sourceRows = new RowLookup(source, sourceDialect, catalog.require(map.table(direction.from())),
                ExpectedRows.keyColumns(map, direction.from()), expected.sourceColumns());
        RowLookup targetRows = new RowLookup(target, targetDialect, catalog.require(map.table(direction.to())),
                mapped.keyColumns(), mapped.columns());
        List<Row> rows = new ArrayList<>();
        for (Tally.ReportedKey key : result.tally().keys(Category.DIFFERING)) {
            Optional<Map<String, Object>> sourceRow = sourceRows.find(key.sourceKey());
            Optional<Map<String, Object>> targetRow = targetRows.find(key.targetKey());
            List<Column> columns = new ArrayList<>();
            if (sourceRow.isPresent() && targetRow.isPresent()) {
                Map<String, Object> image;
                try {
                    image = expected.map(sourceRow.get()).columns();
                } catch (MappingException changedSince) {
                    continue;
                }
                for (String column : mapped.columns()) {
                    String want = CanonicalText.format(image.get(column));
                    String have = CanonicalText.format(targetRow.get().get(column));
                    if (!Objects.equals(want, have)) {
                        columns.add(new Column(column, want, have));
                    }
                }
            }
            rows.add(new Row(key.targetKey(), key.sourceKey(), columns));
        }
        return rows;
    }
}
