package io.dualsync.apply;

import io.dualsync.config.EndpointKind;
import io.dualsync.config.TableRef;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;

/**
 * Asks the target database whether the connected user holds a privilege, the way the database
 * itself decides it (roles, column grants and all): one implementation per product.
 */
interface TargetGrants {

    /** The user as a GRANT statement names it: {@code dualsync_apply}, {@code 'dualsync_apply'@'%'}. */
    String grantee(Connection c) throws SQLException;

    /**
     * Whether the user may use {@code privilege} ({@code SELECT}, {@code INSERT}, {@code UPDATE},
     * {@code DELETE}) on {@code columns} of {@code table} (on the table for {@code DELETE}).
     */
    boolean holds(Connection c, TableRef table, String privilege, List<String> columns) throws SQLException;

    /**
     * Whether the user may reach the tables of {@code schema} at all (PostgreSQL's {@code USAGE} on
     * the schema; a MariaDB database has no such right of its own).
     */
    boolean mayUseSchema(Connection c, String schema) throws SQLException;

    /** What an administrator runs so that the user may create the bookkeeping tables. */
    String bookkeepingFix(Connection c, String grantee) throws SQLException;

    /** Whether {@code e} is the database's "permission denied". */
    boolean isDenied(SQLException e);

    static TargetGrants of(EndpointKind kind, SqlDialect dialect) {
        return kind == EndpointKind.POSTGRES ? new PostgresGrants() : new MariaDbGrants(dialect);
    }
}
