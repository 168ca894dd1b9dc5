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
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Checks, before Debezium starts, what reading a MariaDB binlog needs, and reports every unmet
 * need at once with its fix: binary logging on, {@code binlog_format=ROW}, {@code
 * binlog_row_image=FULL}, a replica server id that is not the server's own, and the capture
 * user's grants:
 * <ul>
 *   <li>{@code REPLICATION SLAVE} on {@code *.*}: to read the binlog;</li>
 *   <li>{@code BINLOG MONITOR} on {@code *.*} (MariaDB 10.5+; {@code REPLICATION CLIENT} before,
 *       of which it is the new name): {@code SHOW MASTER STATUS} / {@code SHOW BINARY LOGS},
 *       by which the connector finds its position;</li>
 *   <li>{@code RELOAD} on {@code *.*}: the initial snapshot's brief {@code FLUSH TABLES WITH READ
 *       LOCK} (Debezium's {@code snapshot.locking.mode=minimal}), which makes the binlog position
 *       and the snapshot consistent; its fallback, table locks, needs RELOAD too;</li>
 *   <li>{@code SELECT} on each captured table: the snapshot reads it.</li>
 * </ul>
 * Global grants are read from {@code information_schema.USER_PRIVILEGES} (grants through a role
 * are not seen there and would be reported as missing); SELECT is checked by reading each table.
 */
final class MariaDbPreconditions {

    /** ER_NO_SUCH_TABLE */
    private static final int NO_SUCH_TABLE = 1146;
    /** ER_BAD_DB_ERROR */
    private static final int NO_SUCH_DATABASE = 1049;

    private MariaDbPreconditions() {
    }

    /** @throws CapturePreconditionException naming every unmet condition and how to fix it */
    static void verify(Endpoint endpoint, List<TableRef> tables) {
        List<String> problems;
        // connected to the server, not the database: a user without any grant on the database may
        // not even open it, and the checks below then name what is missing
        try (Connection c = EndpointConnections.open(endpoint, serverUrl(endpoint))) {
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
        String logBin;
        String format;
        String rowImage;
        long serverId;
        String version;
        String currentUser;
        try (Statement s = c.createStatement(); ResultSet r = s.executeQuery(
                "SELECT @@GLOBAL.log_bin, @@GLOBAL.binlog_format, @@GLOBAL.binlog_row_image, @@GLOBAL.server_id, VERSION(), CURRENT_USER()")) {
            r.next();
            logBin = r.getString(1);
            format = r.getString(2);
            rowImage = r.getString(3);
            serverId = r.getLong(4);
            version = r.getString(5);
            currentUser = r.getString(6);
        }
        if (!"1".equals(logBin) && !"ON".equalsIgnoreCase(logBin)) {
            problems.add("binary logging is off (log_bin = OFF), and capture reads the binlog: add log_bin = mariadb-bin"
                    + " (and binlog_format = ROW, binlog_row_image = FULL) to the [mariadb] section of my.cnf and restart MariaDB");
        }
        if (!"ROW".equalsIgnoreCase(format)) {
            problems.add("binlog_format is '" + format + "' but capture needs row events: set binlog_format = ROW in the"
                    + " [mariadb] section of my.cnf and restart MariaDB (SET GLOBAL binlog_format = 'ROW' affects only new sessions)");
        }
        if (!"FULL".equalsIgnoreCase(rowImage)) {
            problems.add("binlog_row_image is '" + rowImage + "' but capture needs every column of every changed row: set"
                    + " binlog_row_image = FULL in the [mariadb] section of my.cnf and restart MariaDB"
                    + " (SET GLOBAL binlog_row_image = 'FULL' affects only new sessions)");
        }
        long configured = endpoint.serverId().orElse(-1L);
        if (configured == serverId) {
            problems.add("endpoint '" + endpoint.name() + "' has serverId " + configured + ", which is the server's own"
                    + " server_id: choose a serverId that neither the server nor any of its replicas uses");
        }

        String grantee = grantee(currentUser);
        Set<String> privileges = globalPrivileges(c, grantee);
        boolean binlogMonitorName = atLeast105(version);
        requireGlobal(problems, privileges, "REPLICATION SLAVE", "to read the binlog", grantee);
        requireGlobal(problems, privileges, binlogMonitorName ? "BINLOG MONITOR" : "REPLICATION CLIENT",
                "to find the binlog position (SHOW MASTER STATUS)", grantee);
        requireGlobal(problems, privileges, "RELOAD",
                "for the initial snapshot's brief global read lock (FLUSH TABLES WITH READ LOCK), which pins the binlog position", grantee);

        for (TableRef t : tables) {
            String table = quote(t.schema()) + "." + quote(t.table());
            try (Statement s = c.createStatement()) {
                s.executeQuery("SELECT 1 FROM " + table + " LIMIT 0").close();
            } catch (SQLException e) {
                if (e.getErrorCode() == NO_SUCH_TABLE || e.getErrorCode() == NO_SUCH_DATABASE) {
                    problems.add("table " + t.qualifiedName() + " (mapped as " + t + ") does not exist");
                } else {
                    // MariaDB also answers 'denied' for a table that does not exist if the user may not see it
                    problems.add("user " + grantee + " may not read " + t.qualifiedName() + " (needed for the snapshot),"
                            + " or it does not exist: GRANT SELECT ON " + table + " TO " + grantee);
                }
            }
        }
        return problems;
    }

    /** The endpoint's JDBC URL without the database: {@code jdbc:mariadb://host:port/?params}. */
    static String serverUrl(Endpoint endpoint) {
        String url = endpoint.url();
        int query = url.indexOf('?');
        String params = query < 0 ? "" : url.substring(query);
        return "jdbc:" + endpoint.jdbcUrl().scheme() + "://" + endpoint.jdbcUrl().host() + ":" + endpoint.jdbcUrl().port()
                + "/" + params;
    }

    private static void requireGlobal(List<String> problems, Set<String> privileges, String privilege, String why,
                                      String grantee) {
        if (!privileges.contains(privilege)) {
            problems.add("user " + grantee + " lacks the " + privilege + " privilege, needed " + why + ": GRANT "
                    + privilege + " ON *.* TO " + grantee);
        }
    }

    private static Set<String> globalPrivileges(Connection c, String grantee) throws SQLException {
        Set<String> privileges = new HashSet<>();
        try (PreparedStatement s = c.prepareStatement(
                "SELECT PRIVILEGE_TYPE FROM information_schema.USER_PRIVILEGES WHERE GRANTEE = ?")) {
            s.setString(1, grantee);
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    privileges.add(r.getString(1).toUpperCase(java.util.Locale.ROOT));
                }
            }
        }
        return privileges;
    }

    /** {@code 'user'@'host'} from CURRENT_USER()'s {@code user@host}. */
    static String grantee(String currentUser) {
        int at = currentUser.lastIndexOf('@');
        String user = at < 0 ? currentUser : currentUser.substring(0, at);
        String host = at < 0 ? "%" : currentUser.substring(at + 1);
        return "'" + user.replace("'", "''") + "'@'" + host.replace("'", "''") + "'";
    }

    /** BINLOG MONITOR replaced REPLICATION CLIENT in MariaDB 10.5.2. */
    static boolean atLeast105(String version) {
        String[] parts = version.split("[.-]");
        try {
            int major = Integer.parseInt(parts[0]);
            int minor = Integer.parseInt(parts[1]);
            return major > 10 || (major == 10 && minor >= 5);
        } catch (RuntimeException unparsable) {
            return true;
        }
    }

    private static String quote(String identifier) {
        return "`" + identifier.replace("`", "``") + "`";
    }
}
