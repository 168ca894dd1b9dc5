package io.dualsync.launcher.infra;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.sql.DataSource;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.regex.Pattern;

/**
 * A real PostgreSQL server (zonky embedded binaries) set up for logical decoding:
 * {@code wal_level=logical}, 20 replication slots, 20 WAL senders. Local connections are
 * trusted, so any password works for {@link #user()}. Each test or demo creates its own
 * database with {@link #createDatabase(String)}; everything is deleted on {@link #close()}.
 */
public final class EmbeddedPostgres implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(EmbeddedPostgres.class);
    private static final String USER = "postgres";
    /** Plain lower-case identifiers: safe to splice into DDL and URLs without quoting. */
    private static final Pattern DATABASE_NAME = Pattern.compile("[a-z_][a-z0-9_]{0,62}");

    private final io.zonky.test.db.postgres.embedded.EmbeddedPostgres server;

    private EmbeddedPostgres(io.zonky.test.db.postgres.embedded.EmbeddedPostgres server) {
        this.server = server;
    }

    /** Starts a fresh server in a temporary data directory. */
    public static EmbeddedPostgres start() {
        long started = System.nanoTime();
        try {
            var server = io.zonky.test.db.postgres.embedded.EmbeddedPostgres.builder()
                    .setServerConfig("wal_level", "logical")
                    .setServerConfig("max_replication_slots", "20")
                    .setServerConfig("max_wal_senders", "20")
                    // zonky's default 10 s is too short on a busy 2-core machine (9.7 s seen)
                    .setPGStartupWait(Duration.ofSeconds(60))
                    .start();
            EmbeddedPostgres postgres = new EmbeddedPostgres(server);
            log.info("PostgreSQL ready at localhost:{} in {}", postgres.port(), Durations.since(started));
            return postgres;
        } catch (IOException e) {
            throw new UncheckedIOException("could not start embedded PostgreSQL", e);
        }
    }

    /**
     * Creates database {@code name} and returns its JDBC URL.
     *
     * @param name a lower-case identifier ({@code [a-z_][a-z0-9_]*}, at most 63 characters)
     * @throws IllegalArgumentException if the name is not such an identifier
     * @throws IllegalStateException    if the database cannot be created (it exists, say)
     */
    public String createDatabase(String name) {
        if (name == null || !DATABASE_NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("database name must match " + DATABASE_NAME.pattern() + ": " + name);
        }
        try (Connection c = dataSource("postgres").getConnection(); Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE " + name);
        } catch (SQLException e) {
            throw new IllegalStateException("could not create database " + name + ": " + e.getMessage(), e);
        }
        return jdbcUrl(name);
    }

    /** {@code jdbc:postgresql://localhost:<port>/<database>}. */
    public String jdbcUrl(String database) {
        return "jdbc:postgresql://localhost:" + port() + "/" + database;
    }

    /** The superuser every URL connects as. */
    public String user() {
        return USER;
    }

    public int port() {
        return server.getPort();
    }

    /** A (non-pooling) data source for {@code database}, connecting as {@link #user()}. */
    public DataSource dataSource(String database) {
        return server.getDatabase(USER, database);
    }

    /** Stops the server and deletes its data directory. */
    @Override
    public void close() {
        try {
            server.close();
            log.info("PostgreSQL stopped");
        } catch (IOException e) {
            log.warn("PostgreSQL did not stop cleanly: {}", e.toString());
        }
    }
}
