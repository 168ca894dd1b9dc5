package io.dualsync.apply;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * A real target database for the behaviour tests that run against each product
 * ({@link AbstractBatchApplierTest}): its dialect, connections, and the names and SQL that differ.
 */
interface TargetDatabase {

    SqlDialect dialect();

    /** A new connection (auto-commit on) with the dialect's session settings. */
    Connection connect() throws SQLException;

    /** The schema user tables are created in (PostgreSQL schema, MariaDB database). */
    String schema();

    /** The bookkeeping tables, as written in a query. */
    String checkpointTable();

    String rowStateTable();

    /** Runs statements in auto-commit mode on a connection of its own. */
    default void execute(String... sql) throws SQLException {
        try (Connection c = connect(); Statement s = c.createStatement()) {
            for (String statement : sql) {
                s.execute(statement);
            }
        }
    }

    /** The single value of a one-row, one-column query, as JDBC returns it; null when no row. */
    default Object queryValue(String sql) throws SQLException {
        try (Connection c = connect(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            return rs.next() ? rs.getObject(1) : null;
        }
    }

    default long count(String sql) throws SQLException {
        return ((Number) queryValue(sql)).longValue();
    }
}
