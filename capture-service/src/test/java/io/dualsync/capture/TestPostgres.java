package io.dualsync.capture;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Real PostgreSQL servers for the tests, one of each kind per test JVM: {@link #logical()} is
 * configured for logical decoding ({@code wal_level=logical}), {@link #replicaOnly()} keeps
 * PostgreSQL's default {@code wal_level=replica}. Each test gets its own database.
 */
final class TestPostgres {

    private static EmbeddedPostgres logical;
    private static EmbeddedPostgres replicaOnly;
    private static final AtomicInteger databases = new AtomicInteger();

    private final EmbeddedPostgres server;

    private TestPostgres(EmbeddedPostgres server) {
        this.server = server;
    }

    static synchronized TestPostgres logical() {
        if (logical == null) {
            logical = start(true);
        }
        return new TestPostgres(logical);
    }

    static synchronized TestPostgres replicaOnly() {
        if (replicaOnly == null) {
            replicaOnly = start(false);
        }
        return new TestPostgres(replicaOnly);
    }

    private static EmbeddedPostgres start(boolean logicalDecoding) {
        try {
            EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder();
            if (logicalDecoding) {
                builder.setServerConfig("wal_level", "logical");
            }
            EmbeddedPostgres pg = builder.start();
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try {
                    pg.close();
                } catch (IOException ignored) {
                    // the JVM is going away
                }
            }));
            return pg;
        } catch (IOException e) {
            throw new UncheckedIOException("could not start the test PostgreSQL", e);
        }
    }

    /** Creates a fresh database named {@code <prefix>_<n>} and returns its JDBC URL. */
    String createDatabase(String prefix) {
        String name = prefix + "_" + databases.incrementAndGet();
        execute(url("postgres"), "CREATE DATABASE " + name);
        return url(name);
    }

    String url(String database) {
        return "jdbc:postgresql://localhost:" + server.getPort() + "/" + database;
    }

    /** Runs statements as the superuser {@code postgres}. */
    static void execute(String url, String... sql) {
        try (Connection c = DriverManager.getConnection(url, "postgres", null); Statement s = c.createStatement()) {
            for (String statement : sql) {
                s.execute(statement);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("SQL failed: " + e.getMessage(), e);
        }
    }
}
