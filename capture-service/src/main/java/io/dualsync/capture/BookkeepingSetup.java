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
     * Creates the signaling table ({@link BookkeepingTables#signal}) where missing: every captured
     * endpoint has one, so that {@code dualsync resync} can ask its running engine for an
     * incremental snapshot.
     *
     * @throws CapturePreconditionException when it cannot be created
     */
    static void ensureSignalTable(Endpoint endpoint) {
        try (Connection c = EndpointConnections.open(endpoint); Statement s = c.createStatement()) {
            for (String ddl : BookkeepingTables.signalDdl(endpoint)) {
                s.execute(ddl);
            }
            log.info("endpoint '{}': signaling table {} present (created where missing)", endpoint.name(),
                    BookkeepingTables.signal(endpoint).qualifiedName());
        } catch (SQLException e) {
            throw new CapturePreconditionException(endpoint.name(), java.util.List.of("cannot create the signaling table "
                    + BookkeepingTables.signal(endpoint).qualifiedName() + ", through which dualsync resync asks for"
                    + " incremental snapshots: SQLState " + e.getSQLState() + ": " + e.getMessage()
                    + "; grant CREATE on the database or create it with: " + String.join("; ", BookkeepingTables.signalDdl(endpoint))), e);
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
