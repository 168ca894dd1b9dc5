package io.dualsync.apply;

import io.dualsync.config.Endpoint;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;

/**
 * The apply worker's one connection to its target database, opened on first use and opened again
 * after a failure made it suspect. Not thread-safe: one worker thread uses it.
 */
final class TargetConnection implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(TargetConnection.class);

    private final Endpoint endpoint;
    private Connection connection;

    TargetConnection(Endpoint endpoint) {
        this.endpoint = endpoint;
    }

    Connection get() throws SQLException {
        if (connection == null || connection.isClosed()) {
            connection = DriverManager.getConnection(endpoint.url(), endpoint.user(),
                    endpoint.password() == null ? null : endpoint.password().value());
            connection.setAutoCommit(false);
            LOG.info("Connected to target endpoint {}", endpoint.name());
        }
        return connection;
    }

    /** Drops the connection after a transient failure; the next {@link #get()} opens a new one. */
    void reset() {
        close();
    }

    @Override
    public void close() {
        if (connection != null) {
            try {
                connection.close();
            } catch (SQLException e) {
                LOG.debug("closing the connection to {} failed with SQLState {}", endpoint.name(), e.getSQLState());
            }
            connection = null;
        }
    }
}
