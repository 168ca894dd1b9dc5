package io.dualsync.capture;

import io.dualsync.catalog.ConnectionFailure;
import io.dualsync.config.Endpoint;
import io.dualsync.config.TableRef;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * Checks, before Debezium starts, what PostgreSQL logical decoding needs, and reports every
 * unmet need at once with its fix, instead of the first low-level error Debezium would hit:
 * {@code wal_level=logical}, a user with REPLICATION (or superuser), the mapped tables present
 * and readable, the replication slot not held by another process, and, when the publication
 * does not exist yet, the rights Debezium needs to create it (PostgreSQL docs, "CREATE
 * PUBLICATION": CREATE on the database and ownership of the tables).
 */
public final class CapturePreconditions {

    private CapturePreconditions() {
    }

    /** @throws CapturePreconditionException naming every unmet condition and how to fix it */
    public static void verify(Endpoint endpoint, List<TableRef> tables) {
        List<String> problems;
        try (Connection c = EndpointConnections.open(endpoint)) {
            problems = problems(c, endpoint, tables);
        } catch (SQLException e) {
            throw new CapturePreconditionException(endpoint.name(), List.of(ConnectionFailure.describe(endpoint, e)), e);
        }
        if (!problems.isEmpty()) {
            throw new CapturePreconditionException(endpoint.name(), problems, null);
        }
    }

    private static List<String> problems(Connection c, Endpoint endpoint, List<TableRef> tables) throws SQLException {
        List<String> problems = new ArrayList<>();
        String walLevel = single(c, "SHOW wal_level");
        if (!"logical".equals(walLevel)) {
            problems.add("wal_level is '" + walLevel + "' but logical decoding needs 'logical': set wal_level = logical"
                    + " (postgresql.conf or ALTER SYSTEM SET wal_level = logical) and restart PostgreSQL");
        }

        String user;
        boolean superuser;
        boolean replication;
        try (Statement s = c.createStatement();
             ResultSet r = s.executeQuery("SELECT current_user, rolsuper, rolreplication FROM pg_roles WHERE rolname = current_user")) {
            r.next();
            user = r.getString(1);
            superuser = r.getBoolean(2);
            replication = r.getBoolean(3);
        }
        if (!superuser && !replication) {
            problems.add("user '" + user + "' has neither the REPLICATION attribute nor superuser: as a superuser run"
                    + " ALTER ROLE " + quoteIdent(user) + " WITH REPLICATION");
        }

        List<TableRef> present = new ArrayList<>();
        for (TableRef t : tables) {
            if (tableExists(c, t)) {
                present.add(t);
            } else {
                problems.add("table " + t.qualifiedName() + " (mapped as " + t + ") does not exist in database "
                        + endpoint.jdbcUrl().database());
            }
        }
        for (TableRef t : present) {
            if (!superuser && !bool(c, "SELECT has_table_privilege(?, 'SELECT')", regclass(t))) {
                problems.add("user '" + user + "' may not read " + t.qualifiedName() + " (needed for the snapshot): GRANT SELECT ON "
                        + regclass(t) + " TO " + quoteIdent(user));
            }
        }

        if (!superuser && !bool(c, "SELECT EXISTS (SELECT 1 FROM pg_publication WHERE pubname = ?)", endpoint.publication())) {
            if (!bool(c, "SELECT has_database_privilege(current_database(), 'CREATE')")) {
                problems.add("publication '" + endpoint.publication() + "' does not exist and user '" + user
                        + "' may not create it: GRANT CREATE ON DATABASE " + quoteIdent(endpoint.jdbcUrl().database())
                        + " TO " + quoteIdent(user) + ", or create it as the tables' owner: CREATE PUBLICATION "
                        + quoteIdent(endpoint.publication()) + " FOR TABLE ...");
            }
            for (TableRef t : present) {
                if (!bool(c, "SELECT pg_has_role(current_user, (SELECT relowner FROM pg_class WHERE oid = ?::regclass), 'USAGE')", regclass(t))) {
                    problems.add("publication '" + endpoint.publication() + "' does not exist and user '" + user
                            + "' does not own " + t.qualifiedName() + ", which creating it requires: create the publication as the"
                            + " table owner (CREATE PUBLICATION " + quoteIdent(endpoint.publication()) + " FOR TABLE ...)");
                }
            }
        }

        try (PreparedStatement s = c.prepareStatement(
                "SELECT active_pid FROM pg_replication_slots WHERE slot_name = ? AND active")) {
            s.setString(1, endpoint.slot());
            try (ResultSet r = s.executeQuery()) {
                if (r.next()) {
                    problems.add("replication slot '" + endpoint.slot() + "' is in use by process " + r.getInt(1)
                            + ": is another capture of endpoint '" + endpoint.name() + "' running?");
                }
            }
        }
        return problems;
    }

    private static boolean tableExists(Connection c, TableRef t) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("SELECT 1 FROM pg_class k JOIN pg_namespace n ON n.oid = k.relnamespace"
                + " WHERE n.nspname = ? AND k.relname = ? AND k.relkind IN ('r', 'p')")) {
            s.setString(1, t.schema());
            s.setString(2, t.table());
            try (ResultSet r = s.executeQuery()) {
                return r.next();
            }
        }
    }

    private static String single(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet r = s.executeQuery(sql)) {
            r.next();
            return r.getString(1);
        }
    }

    private static boolean bool(Connection c, String sql, String... parameters) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(sql)) {
            for (int i = 0; i < parameters.length; i++) {
                s.setString(i + 1, parameters[i]);
            }
            try (ResultSet r = s.executeQuery()) {
                r.next();
                return r.getBoolean(1);
            }
        }
    }

    private static String regclass(TableRef t) {
        return quoteIdent(t.schema()) + "." + quoteIdent(t.table());
    }

    static String quoteIdent(String identifier) {
        return "\"" + identifier.replace("\"", "\"\"") + "\"";
    }
}
