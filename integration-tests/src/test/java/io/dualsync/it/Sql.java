package io.dualsync.it;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/** The two JDBC calls every integration test makes against its databases. */
public final class Sql {

    private Sql() {
    }

    /** Runs a statement that returns no rows (DDL, insert, update, delete). */
    public static void exec(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }

    /** The first column of the first row of a query that returns one number, e.g. {@code select count(*) ...}. */
    public static long count(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet r = s.executeQuery(sql)) {
            if (!r.next()) {
                throw new IllegalStateException("no row from: " + sql);
            }
            return r.getLong(1);
        }
    }
}
