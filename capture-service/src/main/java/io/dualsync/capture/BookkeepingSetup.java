package io.dualsync.capture;

import io.dualsync.config.Endpoint;
import io.dualsync.contract.BookkeepingTables;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * Creates dualsync's bookkeeping tables in an endpoint that some map writes to, when missing, so
 * that capture can add the apply checkpoint table to its publication even when it starts before
 * the apply service ever ran. Uses the same DDL as apply ({@link BookkeepingTables}).
 */
final class BookkeepingSetup {

    private static final Logger log = LoggerFactory.getLogger(BookkeepingSetup.class);

    private BookkeepingSetup() {
    }

    /**
     * Creates the signaling table ({@link BookkeepingTables#signal}) where missing, so that
     * {@code dualsync resync} can ask the endpoint's running engine for an incremental snapshot.
     * A user without the right to create it (a least-privilege capture user) keeps capturing:
     * resync is then unavailable for the endpoint until the table is created, which is logged.
     *
     * @return whether the table exists now
     */
    static boolean ensureSignalTable(Endpoint endpoint) {
        String table = BookkeepingTables.signal(endpoint).qualifiedName();
        try (Connection c = EndpointConnections.open(endpoint); Statement s = c.createStatement()) {
            try {
                for (String ddl : BookkeepingTables.signalDdl(endpoint)) {
                    s.execute(ddl);
                }
                log.info("endpoint '{}': signaling table {} present (created where missing)", endpoint.name(), table);
                return true;
            } catch (SQLException refused) {
                if (exists(c, endpoint)) {
                    log.info("endpoint '{}': signaling table {} present", endpoint.name(), table);
                    return true;
                }
                log.warn("endpoint '{}': cannot create the signaling table {} (SQLState {}), so dualsync resync is unavailable"
                                + " for this endpoint; to enable it, create it as an administrator ({}) and grant the capture"
                                + " user SELECT and INSERT on it, then restart capture", endpoint.name(), table,
                        refused.getSQLState(), String.join("; ", BookkeepingTables.signalDdl(endpoint)));
                return false;
            }
        } catch (SQLException e) {
            // the capture preconditions, checked next, name what is wrong with the connection or the grants
            log.warn("endpoint '{}': cannot check the signaling table {} (SQLState {}), so dualsync resync is unavailable"
                    + " for this endpoint", endpoint.name(), table, e.getSQLState());
            return false;
        }
    }

    private static boolean exists(Connection c, Endpoint endpoint) throws SQLException {
        io.dualsync.config.TableRef t = BookkeepingTables.signal(endpoint);
        try (java.sql.ResultSet rs = c.getMetaData().getTables(endpoint.kind() == io.dualsync.config.EndpointKind.MARIADB
                ? t.schema() : null, endpoint.kind() == io.dualsync.config.EndpointKind.POSTGRES ? t.schema() : null, t.table(), null)) {
            return rs.next();
        }
    }

    /** @throws CapturePreconditionException when the tables cannot be created */
    static void ensureCreated(Endpoint endpoint) {
        try (Connection c = EndpointConnections.open(endpoint); Statement s = c.createStatement()) {
            for (String ddl : BookkeepingTables.ddl(endpoint)) {
                s.execute(ddl);
            }
            log.info("endpoint '{}': dualsync bookkeeping tables present (created where missing)", endpoint.name());
        } catch (SQLException e) {
            throw new CapturePreconditionException(endpoint.name(), java.util.List.of("cannot create the dualsync bookkeeping tables"
                    + ", which capture reads to recognise dualsync's own writes: SQLState "
                    + e.getSQLState() + ": " + e.getMessage() + "; grant CREATE on the database or create them as apply does"), e);
        }
    }
}
