package io.dualsync.capture;

import io.dualsync.config.Endpoint;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Properties;

/** Plain JDBC connections to an endpoint, for the checks and maintenance done outside Debezium. */
final class EndpointConnections {

    private EndpointConnections() {
    }

    static Connection open(Endpoint endpoint) throws SQLException {
        return open(endpoint, endpoint.url());
    }

    /** A connection as the endpoint's user to another URL of the same server. */
    static Connection open(Endpoint endpoint, String url) throws SQLException {
        Properties props = endpoint.jdbcProperties();
        props.setProperty("ApplicationName", "dualsync-capture-" + endpoint.name());
        return DriverManager.getConnection(url, props);
    }
}
