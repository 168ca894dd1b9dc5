package io.dualsync.apply;

import io.dualsync.config.TableRef;
import io.dualsync.contract.BookkeepingTables;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;

/**
 * PostgreSQL's own privilege functions ({@code has_schema_privilege}, {@code has_column_privilege},
 * {@code has_table_privilege}; PostgreSQL docs, "System Information Functions"): they account for
 * role membership and column grants, and change nothing. {@code USAGE} on the schema is asked
 * separately: without it no table of the schema can be reached, whatever the table grants say.
 */
final class PostgresGrants implements TargetGrants {

    private static final String INSUFFICIENT_PRIVILEGE = "42501";

    @Override
    public String grantee(Connection c) throws SQLException {
        return single(c, "SELECT quote_ident(current_user)");
    }

    @Override
    public boolean holds(Connection c, TableRef table, String privilege, List<String> columns) throws SQLException {
        String sql = privilege.equals("DELETE")
                ? "SELECT has_table_privilege(format('%I.%I', ?, ?), 'DELETE')"
                : "SELECT bool_and(has_column_privilege(format('%I.%I', ?, ?), col, ?)) FROM unnest(?::text[]) AS col";
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, table.schema());
            ps.setString(2, table.table());
            if (!privilege.equals("DELETE")) {
                ps.setString(3, privilege);
                Array array = c.createArrayOf("text", columns.toArray());
                ps.setArray(4, array);
            }
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getBoolean(1);
            }
        }
    }

    @Override
    public boolean mayUseSchema(Connection c, String schema) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT has_schema_privilege(?, 'USAGE')")) {
            ps.setString(1, schema);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getBoolean(1);
            }
        }
    }

    @Override
    public String bookkeepingFix(Connection c, String grantee) throws SQLException {
        return "CREATE SCHEMA IF NOT EXISTS " + BookkeepingTables.SCHEMA + " AUTHORIZATION " + grantee
                + " (or GRANT CREATE ON DATABASE " + single(c, "SELECT quote_ident(current_database())") + " TO " + grantee + ")";
    }

    @Override
    public boolean isDenied(SQLException e) {
        return INSUFFICIENT_PRIVILEGE.equals(e.getSQLState());
    }

    private static String single(Connection c, String sql) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql); ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getString(1);
        }
    }
}
