package io.dualsync.apply;

import io.dualsync.config.Endpoint;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Map;
import java.util.Properties;

/**
 * The apply worker's one connection to its target database, opened on first use and opened again
 * after a failure made it suspect. Not thread-safe: one worker thread uses it.
 */
final class TargetConnection implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(TargetConnection.class);

    private final Endpoint endpoint;
    private final Map<String, String> driverProperties;
    private Connection connection;

    /** @param driverProperties connection properties besides user and password ({@link SqlDialect#connectionProperties()}) */
    TargetConnection(Endpoint endpoint, Map<String, String> driverProperties) {
        this.endpoint = endpoint;
        this.driverProperties = Map.copyOf(driverProperties);
    }

    Connection get() throws SQLException {
        if (connection == null || connection.isClosed()) {
            Properties properties = endpoint.jdbcProperties();
            properties.putAll(driverProperties);
            connection = DriverManager.getConnection(endpoint.url(), properties);
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
