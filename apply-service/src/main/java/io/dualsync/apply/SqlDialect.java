package io.dualsync.apply;

import io.dualsync.catalog.Column;
import io.dualsync.config.TableRef;

import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;

/**
 * Everything the apply service writes that differs between database products: identifier
 * quoting, the bookkeeping DDL and statements, the idempotent upsert, delete and soft delete of a
 * target row, and how a canonical value (see {@link io.dualsync.contract.ColumnValues}) is bound
 * to a statement parameter. One implementation per product; nothing outside these classes asks
 * which product it is talking to.
 *
 * <p>Identifiers passed in come only from the validated catalog and are always quoted; values are
 * never rendered into SQL, only bound as parameters. Every statement's parameter order is stated on
 * its method.
 */
public interface SqlDialect {

    /**
     * JDBC connection properties the apply connection needs besides user and password (session
     * settings, driver options); none by default.
     */
    default Map<String, String> connectionProperties() {
        return Map.of();
    }

    /**
     * The parameter marker for a value of {@code column} in a comparison or assignment: {@code ?},
     * with a cast where the product does not assign a text parameter to the column's type.
     */
    default String placeholder(Column column) {
        return "?";
    }

    /** The identifier quoted so that any character, keyword or case survives. */
    String quote(String identifier);

    /** The quoted, schema-qualified name of a table. */
    String table(TableRef table);

    /** Statements that create the bookkeeping schema and tables where missing (idempotent). */
    List<String> createBookkeeping();

    /** A query returning one row, one column: how many of the bookkeeping tables exist (all = 2). */
    String countBookkeepingTables();

    /**
     * Inserts or advances this worker's checkpoint row, changing a value every time (design.md,
     * loop suppression). Parameters: worker id, last source position.
     */
    String touchCheckpoint();

    /**
     * Reads and locks the bookkeeping rows of some target rows. Parameters: map name, target table,
     * then {@code keyCount} row keys. Result columns: {@code row_key, source_position, row_hash}.
     */
    String lockRowStates(int keyCount);

    /**
     * Records the last applied position and row hash of a target row, never moving it back.
     * Parameters: map name, target table, row key, source endpoint, source position, row hash.
     */
    String upsertRowState();

    /**
     * Inserts the row or updates it, but writes nothing when the row already holds these values.
     * Parameters: {@code columns} in order.
     *
     * @param keyColumns the columns of the unique key the conflict is detected on
     * @param columns    every column written, key columns included
     */
    default String upsert(TableRef table, List<Column> keyColumns, List<Column> columns) {
        return upsert(table, keyColumns, columns, List.of());
    }

    /**
     * As {@link #upsert(TableRef, List, List)}, and a row that is inserted also gets {@code insertOnly}
     * (values set only when the sync creates a row, a map's {@code onInsert}); an update never
     * touches them. Parameters: {@code columns} in order, then {@code insertOnly} in order.
     */
    String upsert(TableRef table, List<Column> keyColumns, List<Column> columns, List<Column> insertOnly);

    /** Deletes the row. Parameters: {@code keyColumns} in order. */
    String delete(TableRef table, List<Column> keyColumns);

    /**
     * Marks the row deleted by setting {@code flag}, unless it already holds the value.
     * Parameters: the flag value, {@code keyColumns} in order, the flag value again.
     */
    String softDelete(TableRef table, List<Column> keyColumns, Column flag);

    /**
     * Reads and locks one target row (conflict detection): {@code SELECT columns ... FOR UPDATE}.
     * Parameters: {@code keyColumns} in order. Result columns: {@code columns} in order.
     */
    String lockRow(TableRef table, List<Column> keyColumns, List<Column> columns);

    /**
     * Reads result column {@code index} as the canonical value of {@code column} (see
     * {@link io.dualsync.contract.ColumnValues}), so that its {@link io.dualsync.contract.CanonicalText}
     * equals the one of the value dualsync wrote.
     */
    Object read(java.sql.ResultSet resultSet, int index, Column column) throws SQLException;

    /**
     * Binds a canonical value for {@code column} as parameter {@code index}.
     *
     * @throws IllegalArgumentException when the value is not the column's canonical Java type or
     *                                  would not be stored exactly; the message names the column and
     *                                  never the value
     */
    void bind(PreparedStatement statement, int index, Column column, Object value) throws SQLException;
}
