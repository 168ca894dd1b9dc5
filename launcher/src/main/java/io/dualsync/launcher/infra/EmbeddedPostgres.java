package io.dualsync.launcher.infra;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.sql.DataSource;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
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
    private static final Duration POSTMASTER_STOP_WAIT = Duration.ofSeconds(60);
    /** Plain lower-case identifiers: safe to splice into DDL and URLs without quoting. */
    private static final Pattern DATABASE_NAME = Pattern.compile("[a-z_][a-z0-9_]{0,62}");

    private final Path dataDir;
    /** Server settings beyond the ones every server gets: TLS, see {@link #startWithTls}. */
    private final Map<String, String> settings;
    private volatile io.zonky.test.db.postgres.embedded.EmbeddedPostgres server;

    private EmbeddedPostgres(io.zonky.test.db.postgres.embedded.EmbeddedPostgres server, Path dataDir,
                             Map<String, String> settings) {
        this.server = server;
        this.dataDir = dataDir;
        this.settings = settings;
    }

    /** Starts a fresh server in a temporary data directory. */
    public static EmbeddedPostgres start() {
        return start(dataDir -> Map.of());
    }

    /**
     * Starts a fresh server that accepts TCP connections over TLS only: {@code ssl=on} with the
     * given PEM certificate (chain) and unencrypted key, and a {@code pg_hba.conf} whose only TCP
     * lines are {@code hostssl} (any user, trusted, replication included), so an unencrypted
     * client is refused with "no pg_hba.conf entry ... no encryption". The key file must be
     * readable by the owner only (PostgreSQL checks).
     */
    public static EmbeddedPostgres startWithTls(Path certificateFile, Path keyFile) {
        return start(dataDir -> {
            Path hba = dataDir.resolveSibling("pg_hba_tls_only.conf");
            Files.writeString(hba, """
                    local all all trust
                    hostssl all all 127.0.0.1/32 trust
                    hostssl all all ::1/128 trust
                    hostssl replication all 127.0.0.1/32 trust
                    hostssl replication all ::1/128 trust
                    """);
            return Map.of("ssl", "on", "ssl_cert_file", certificateFile.toAbsolutePath().toString(),
                    "ssl_key_file", keyFile.toAbsolutePath().toString(), "hba_file", hba.toString());
        });
    }

    private interface Settings {
        Map<String, String> forDataDir(Path dataDir) throws IOException;
    }

    private static EmbeddedPostgres start(Settings extra) {
        long started = System.nanoTime();
        try {
            // a directory zonky creates itself, as it does its default one
            Path dataDir = Files.createTempDirectory("dualsync-postgres-").resolve("data");
            Map<String, String> settings = extra.forDataDir(dataDir);
            EmbeddedPostgres postgres = new EmbeddedPostgres(startServer(dataDir, 0, settings), dataDir, settings);
            log.info("PostgreSQL ready at localhost:{} in {}", postgres.port(), Durations.since(started));
            return postgres;
        } catch (IOException e) {
            throw new UncheckedIOException("could not start embedded PostgreSQL", e);
        }
    }

    /** @param port 0 for a free one */
    private static io.zonky.test.db.postgres.embedded.EmbeddedPostgres startServer(Path dataDir, int port,
                                                                                   Map<String, String> settings)
            throws IOException {
        var builder = io.zonky.test.db.postgres.embedded.EmbeddedPostgres.builder()
                .setServerConfig("wal_level", "logical")
                .setServerConfig("max_replication_slots", "20")
                .setServerConfig("max_wal_senders", "20")
                // our own directory, kept when the server stops, so restart() finds its data again
                // (zonky runs initdb only where there is no postgresql.conf yet); close() deletes it
                .setDataDirectory(dataDir)
                .setCleanDataDirectory(false)
                // zonky's default 10 s is too short on a busy 2-core machine (9.7 s seen)
                .setPGStartupWait(Duration.ofSeconds(60));
        settings.forEach(builder::setServerConfig);
        if (port != 0) {
            builder.setPort(port);
        }
        return builder.start();
    }

    /**
     * Stops the server (a fast shutdown: open connections are cut, as when a database server is
     * restarted under its clients) and starts it again on the same port and data directory.
     */
    public synchronized void restart() {
        long started = System.nanoTime();
        int port = port();
        try {
            server.close();
            awaitPostmasterGone();
            server = startServer(dataDir, port, settings);
        } catch (IOException e) {
            throw new UncheckedIOException("could not restart embedded PostgreSQL", e);
        }
        log.info("PostgreSQL restarted at localhost:{} in {}", port, Durations.since(started));
    }

    /**
     * zonky's stop gives the server 5 s ({@code pg_ctl stop -t 5}) and only logs when that is not
     * enough, which a loaded machine with replication connections open does see; a new server
     * on the same port and data directory would then fail to start. So wait for the old
     * postmaster to end, and kill it (PostgreSQL then recovers from its WAL at start, as after a
     * crash) if it will not.
     */
    private void awaitPostmasterGone() throws IOException {
        Path pidFile = dataDir.resolve("postmaster.pid");
        if (!Files.exists(pidFile)) {
            return;
        }
        long pid = Long.parseLong(Files.readAllLines(pidFile).getFirst().trim());
        ProcessHandle.of(pid).ifPresent(postmaster -> {
            log.warn("PostgreSQL (pid {}) still stopping; waiting up to {} s", pid, POSTMASTER_STOP_WAIT.toSeconds());
            try {
                postmaster.onExit().get(POSTMASTER_STOP_WAIT.toMillis(), TimeUnit.MILLISECONDS);
            } catch (TimeoutException e) {
                log.warn("PostgreSQL (pid {}) did not stop within {} s; killing it", pid, POSTMASTER_STOP_WAIT.toSeconds());
                postmaster.destroyForcibly();
                postmaster.onExit().join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for PostgreSQL to stop", e);
            } catch (ExecutionException e) {
                throw new IllegalStateException("could not wait for PostgreSQL to stop", e);
            }
        });
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
        } finally {
            Directories.deleteQuietly(dataDir.getParent());
        }
    }
}
