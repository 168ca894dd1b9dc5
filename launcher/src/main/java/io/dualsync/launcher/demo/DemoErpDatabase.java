package io.dualsync.launcher.demo;

import io.dualsync.launcher.infra.EmbeddedMariaDb;
import io.dualsync.launcher.infra.EmbeddedPostgres;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * The demo ERP's database: a second database on the demo's PostgreSQL, or an embedded MariaDB
 * started for it. Knows its JDBC URL, how to connect, and how the ERP endpoint reads in the
 * config file (MariaDB's password goes to a file beside it: never inline).
 */
public final class DemoErpDatabase implements AutoCloseable {

    private final DemoErp kind;
    private final String url;
    private final String user;
    private final String password;
    private final String endpointYaml;
    private final AutoCloseable server;

    private DemoErpDatabase(DemoErp kind, String url, String user, String password, String endpointYaml,
                            AutoCloseable server) {
        this.kind = kind;
        this.url = url;
        this.user = user;
        this.password = password;
        this.endpointYaml = endpointYaml;
        this.server = server;
    }

    public static DemoErpDatabase start(DemoErp kind, EmbeddedPostgres postgres, Path dir) throws IOException {
        if (kind == DemoErp.POSTGRES) {
            String url = postgres.createDatabase("erp");
            return new DemoErpDatabase(kind, url, postgres.user(), null,
                    "{ kind: postgres, url: \"" + url + "\", user: " + postgres.user() + " }", () -> { });
        }
        EmbeddedMariaDb mariadb = EmbeddedMariaDb.start();
        String url = mariadb.createDatabase("sales");
        Path passwordFile = Files.writeString(dir.resolve("erp.password"), mariadb.password());
        return new DemoErpDatabase(kind, url, mariadb.user(), mariadb.password(),
                "{ kind: mariadb, url: \"" + url + "\", user: " + mariadb.user() + ", passwordFile: " + passwordFile
                        + ", serverId: " + (EmbeddedMariaDb.SERVER_ID + 100) + " }", mariadb);
    }

    public DemoErp kind() {
        return kind;
    }

    public String url() {
        return url;
    }

    public String endpointYaml() {
        return endpointYaml;
    }

    /** A connection for the demo's own checks; MariaDB sessions in UTC so TIMESTAMP reads as instants. */
    public Connection connect() throws SQLException {
        Connection c = DriverManager.getConnection(url, user, password);
        if (kind == DemoErp.MARIADB) {
            try (Statement s = c.createStatement()) {
                s.execute("set time_zone = '+00:00'");
            }
        }
        return c;
    }

    @Override
    public void close() throws Exception {
        server.close();
    }
}
