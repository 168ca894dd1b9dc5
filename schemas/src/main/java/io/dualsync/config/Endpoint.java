package io.dualsync.config;

import java.util.Optional;

/**
 * One database dualsync reads from or writes to.
 *
 * @param name     the endpoint's name in the config; part of topic, slot and group names
 * @param kind     which database product
 * @param url      JDBC URL
 * @param user     database user
 * @param password resolved from {@code passwordEnv} or {@code passwordFile}; never inline;
 *                 {@code null} when neither is given (the user connects without a password)
 * @param slot     PostgreSQL: replication slot name (default {@code dualsync_<name>})
 * @param publication PostgreSQL: publication name (default {@code dualsync_<name>})
 * @param serverId MariaDB: replication server id (used from the MariaDB issue on)
 * @param timezone the zone in which the database's zone-less timestamps are meant, when one
 *                 is needed to turn them into instants
 */
public record Endpoint(String name, EndpointKind kind, String url, String user, Secret password,
                       String slot, String publication, Optional<Long> serverId, String timezone) {

    /** The JDBC host, port and database parsed from {@link #url()}. */
    public JdbcUrl jdbcUrl() {
        return JdbcUrl.parse(url);
    }
}
