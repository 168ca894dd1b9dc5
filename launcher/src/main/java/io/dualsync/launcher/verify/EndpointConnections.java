package io.dualsync.launcher.verify;

import io.dualsync.apply.SqlDialect;
import io.dualsync.apply.SqlDialects;
import io.dualsync.config.Endpoint;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Properties;

/**
 * Opens read-only connections to endpoints with the session settings of their {@link SqlDialect}
 * (MariaDB: UTC session time zone, so that values read as apply reads them).
 */
final class EndpointConnections {

    private EndpointConnections() {
    }

    static Connection open(Endpoint endpoint) throws SQLException {
        SqlDialect dialect = SqlDialects.of(endpoint.kind());
        Properties properties = endpoint.jdbcProperties();
        properties.putAll(dialect.connectionProperties());
        Connection connection = DriverManager.getConnection(endpoint.url(), properties);
        connection.setReadOnly(true);
        return connection;
    }
}
