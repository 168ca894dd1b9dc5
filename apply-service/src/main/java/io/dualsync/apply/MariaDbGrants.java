package io.dualsync.apply;

import io.dualsync.config.TableRef;
import io.dualsync.contract.BookkeepingTables;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.stream.Collectors;

/**
 * MariaDB has no function that answers "may I?" for roles and column grants alike, but it checks
 * privileges before it reads a row: each privilege is probed with a statement that touches no row
 * ({@code WHERE 1 = 0}), in a transaction that is rolled back, so nothing reaches the table or the
 * binlog. Each probe needs only the privilege it probes (an {@code INSERT ... SELECT} from
 * {@code DUAL} needs no {@code SELECT} on the table; {@code SET col = NULL WHERE 1 = 0} reads no column).
 */
final class MariaDbGrants implements TargetGrants {

    /** ER_TABLEACCESS_DENIED_ERROR, ER_COLUMNACCESS_DENIED_ERROR, ER_DBACCESS_DENIED_ERROR. */
    private static final List<Integer> DENIED = List.of(1142, 1143, 1044);

    private final SqlDialect dialect;

    MariaDbGrants(SqlDialect dialect) {
        this.dialect = dialect;
    }

    @Override
    public String grantee(Connection c) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT CURRENT_USER()")) {
            rs.next();
            String user = rs.getString(1); // user@host; the host part has no '@'
            int at = user.lastIndexOf('@');
            return "'" + user.substring(0, at) + "'@'" + user.substring(at + 1) + "'";
        }
    }

    @Override
    public boolean holds(Connection c, TableRef table, String privilege, List<String> columns) throws SQLException {
        String name = dialect.table(table);
        String quoted = columns.stream().map(dialect::quote).collect(Collectors.joining(", "));
        String probe = switch (privilege) {
            case "SELECT" -> "SELECT " + quoted + " FROM " + name + " WHERE 1 = 0";
            case "INSERT" -> "INSERT INTO " + name + " (" + quoted + ") SELECT "
                    + columns.stream().map(col -> "NULL").collect(Collectors.joining(", ")) + " FROM DUAL WHERE 1 = 0";
            case "UPDATE" -> "UPDATE " + name + " SET "
                    + columns.stream().map(col -> dialect.quote(col) + " = NULL").collect(Collectors.joining(", ")) + " WHERE 1 = 0";
            case "DELETE" -> "DELETE FROM " + name + " WHERE 1 = 0";
            default -> throw new IllegalArgumentException(privilege);
        };
        boolean autoCommit = c.getAutoCommit();
        c.setAutoCommit(false);
        try (Statement s = c.createStatement()) {
            s.execute(probe);
            return true;
        } catch (SQLException e) {
            if (isDenied(e)) {
                return false;
            }
            throw e;
        } finally {
            c.rollback();
            c.setAutoCommit(autoCommit);
        }
    }

    @Override
    public boolean mayUseSchema(Connection c, String schema) {
        return true; // a MariaDB database (schema) has no USAGE right: table privileges decide
    }

    @Override
    public String bookkeepingFix(Connection c, String grantee) throws SQLException {
        String database = c.getCatalog();
        return "GRANT CREATE ON " + dialect.quote(database) + "." + dialect.quote(BookkeepingTables.TABLE_PREFIX + BookkeepingTables.CHECKPOINT)
                + " TO " + grantee + "; GRANT CREATE ON " + dialect.quote(database) + "."
                + dialect.quote(BookkeepingTables.TABLE_PREFIX + BookkeepingTables.ROW_STATE) + " TO " + grantee
                + " (or create the two tables as an administrator, see README \"Least-privilege grants\")";
    }

    @Override
    public boolean isDenied(SQLException e) {
        return DENIED.contains(e.getErrorCode());
    }
}
