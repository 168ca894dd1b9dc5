package io.dualsync.it;

import io.dualsync.capture.CaptureOptions;
import io.dualsync.capture.CapturePreconditionException;
import io.dualsync.capture.CaptureService;
import io.dualsync.config.CompanyFilter;
import io.dualsync.config.ConflictPolicy;
import io.dualsync.config.DeletePolicy;
import io.dualsync.config.Direction;
import io.dualsync.config.Endpoint;
import io.dualsync.config.EndpointKind;
import io.dualsync.config.KeyField;
import io.dualsync.config.RowFilter;
import io.dualsync.config.Secret;
import io.dualsync.config.SyncConfig;
import io.dualsync.config.TableMap;
import io.dualsync.config.TableRef;
import io.dualsync.launcher.infra.EmbeddedMariaDb;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The start-up checks of a MariaDB capture against a real server: each unmet condition is named
 * with its fix, all at once, before Debezium starts.
 */
class MariaDbCapturePreconditionsIT {

    private static final EmbeddedMariaDb mariadb = SharedInfrastructure.get().mariadb();

    @Test
    void shouldNameEveryMissingGrantWithTheGrantStatementThatFixesIt() throws Exception {
        Fixture f = new Fixture("grants");
        f.admin("CREATE USER '" + f.user + "'@'%' IDENTIFIED BY 'pw'");

        assertThatThrownBy(() -> f.capture(4001).start())
                .isInstanceOf(CapturePreconditionException.class)
                .hasMessage("endpoint '" + f.database + "' cannot be captured:" + System.lineSeparator()
                        + " - user '" + f.user + "'@'%' lacks the REPLICATION SLAVE privilege, needed to read the binlog:"
                        + " GRANT REPLICATION SLAVE ON *.* TO '" + f.user + "'@'%'" + System.lineSeparator()
                        + " - user '" + f.user + "'@'%' lacks the BINLOG MONITOR privilege, needed to find the binlog"
                        + " position (SHOW MASTER STATUS): GRANT BINLOG MONITOR ON *.* TO '" + f.user + "'@'%'" + System.lineSeparator()
                        + " - user '" + f.user + "'@'%' lacks the RELOAD privilege, needed for the initial snapshot's brief"
                        + " global read lock (FLUSH TABLES WITH READ LOCK), which pins the binlog position:"
                        + " GRANT RELOAD ON *.* TO '" + f.user + "'@'%'" + System.lineSeparator()
                        + " - user '" + f.user + "'@'%' may not read " + f.database + ".item (needed for the snapshot), or it"
                        + " does not exist: GRANT SELECT ON `" + f.database + "`.`item` TO '" + f.user + "'@'%'");
    }

    @Test
    void shouldPassOnceTheDocumentedGrantsAreGivenButRefuseTheServersOwnServerId() throws Exception {
        Fixture f = new Fixture("own_id");
        f.admin("CREATE USER '" + f.user + "'@'%' IDENTIFIED BY 'pw'");
        f.admin("GRANT REPLICATION SLAVE, BINLOG MONITOR, RELOAD ON *.* TO '" + f.user + "'@'%'");
        f.admin("GRANT SELECT ON " + f.database + ".item TO '" + f.user + "'@'%'");

        assertThatThrownBy(() -> f.capture(EmbeddedMariaDb.SERVER_ID).start())
                .isInstanceOf(CapturePreconditionException.class)
                .hasMessage("endpoint '" + f.database + "' cannot be captured:" + System.lineSeparator()
                        + " - endpoint '" + f.database + "' has serverId 1, which is the server's own server_id: choose a"
                        + " serverId that neither the server nor any of its replicas uses");
    }

    @Test
    void shouldRefuseAStatementOrMixedBinlogAndAMinimalRowImageSayingHowToFixMyCnf() throws Exception {
        Fixture f = new Fixture("format");
        try {
            f.admin("SET GLOBAL binlog_format = 'MIXED'");
            f.admin("SET GLOBAL binlog_row_image = 'MINIMAL'");

            assertThatThrownBy(() -> f.captureAsAdmin(4003).start())
                    .isInstanceOf(CapturePreconditionException.class)
                    .hasMessage("endpoint '" + f.database + "' cannot be captured:" + System.lineSeparator()
                            + " - binlog_format is 'MIXED' but capture needs row events: set binlog_format = ROW in the"
                            + " [mariadb] section of my.cnf and restart MariaDB (SET GLOBAL binlog_format = 'ROW' affects"
                            + " only new sessions)" + System.lineSeparator()
                            + " - binlog_row_image is 'MINIMAL' but capture needs every column of every changed row: set"
                            + " binlog_row_image = FULL in the [mariadb] section of my.cnf and restart MariaDB"
                            + " (SET GLOBAL binlog_row_image = 'FULL' affects only new sessions)");
        } finally {
            f.admin("SET GLOBAL binlog_format = 'ROW'");
            f.admin("SET GLOBAL binlog_row_image = 'FULL'");
        }
    }

    /** A database with table {@code item}, and a capture user name. */
    private static final class Fixture {
        final String database;
        final String url;
        final String user;

        Fixture(String prefix) throws SQLException {
            database = SharedInfrastructure.uniqueName(prefix);
            url = mariadb.createDatabase(database);
            user = "u_" + database.substring(database.length() - 10);
            admin("CREATE TABLE " + database + ".item (id int PRIMARY KEY, name varchar(20))");
        }

        void admin(String sql) throws SQLException {
            try (Connection c = DriverManager.getConnection(url, mariadb.user(), mariadb.password());
                 Statement s = c.createStatement()) {
                s.execute(sql);
            }
        }

        CaptureService capture(long serverId) {
            return capture(user, "pw", serverId);
        }

        CaptureService captureAsAdmin(long serverId) {
            return capture(mariadb.user(), mariadb.password(), serverId);
        }

        private CaptureService capture(String login, String password, long serverId) {
            Endpoint endpoint = new Endpoint(database, EndpointKind.MARIADB, url, login, new Secret(password, "test"),
                    "unused", "unused", Optional.of(serverId), "UTC");
            Endpoint other = new Endpoint("other", EndpointKind.POSTGRES, "jdbc:postgresql://localhost:1/other", "postgres",
                    null, "dualsync_other", "dualsync_other", Optional.empty(), "UTC");
            TableMap map = new TableMap("items", new TableRef(database, database, "item"),
                    new TableRef("other", "public", "item"), Direction.A_TO_B, List.of(new KeyField("id", "id")),
                    List.of(), RowFilter.ALL, RowFilter.ALL, CompanyFilter.NONE, ConflictPolicy.FAIL, DeletePolicy.DELETE);
            SyncConfig config = new SyncConfig(Path.of("preconditions.yaml"), SharedInfrastructure.get().kafkaSettings(),
                    SharedInfrastructure.get().registrySettings(), Map.of(database, endpoint, "other", other), List.of(map));
            return new CaptureService(config, database, CaptureOptions.defaults().withMeters(new SimpleMeterRegistry()));
        }
    }
}
