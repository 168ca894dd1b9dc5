package io.dualsync.config;

import java.util.Optional;
import java.util.Properties;

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
 * @param tls      TLS to the database ({@code tls:}); empty: whatever the JDBC URL says (unencrypted by default)
 */
public record Endpoint(String name, EndpointKind kind, String url, String user, Secret password,
                       String slot, String publication, Optional<Long> serverId, String timezone,
                       Optional<DatabaseTls> tls) {

    /** An endpoint without a {@code tls} block. */
    public Endpoint(String name, EndpointKind kind, String url, String user, Secret password,
                    String slot, String publication, Optional<Long> serverId, String timezone) {
        this(name, kind, url, user, password, slot, publication, serverId, timezone, Optional.empty());
    }

    /**
     * The JDBC connection properties every plain connection to this endpoint uses: user, password
     * and the TLS settings ({@link DatabaseTls#jdbcProperties}). Holds the password: never log it.
     */
    public Properties jdbcProperties() {
        Properties p = new Properties();
        p.setProperty("user", user);
        if (password != null) {
            p.setProperty("password", password.value());
        }
        tls.ifPresent(t -> p.putAll(t.jdbcProperties(kind)));
        return p;
    }

    /** The JDBC host, port and database parsed from {@link #url()}. */
    public JdbcUrl jdbcUrl() {
        return JdbcUrl.parse(url);
    }
}
