package io.dualsync.it;

import io.dualsync.launcher.infra.EmbeddedMariaDb;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The shared MariaDB server is real and set up the way MariaDB capture and apply need it. */
class EmbeddedMariaDbIT {

    private static final EmbeddedMariaDb mariadb = SharedInfrastructure.get().mariadb();

    @Test
    void shouldWriteAFullRowImageBinlog() throws Exception {
        String url = mariadb.createDatabase(SharedInfrastructure.uniqueName("smoke_binlog"));

        try (Connection c = DriverManager.getConnection(url, mariadb.user(), mariadb.password());
             Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT @@log_bin, @@binlog_format, @@binlog_row_image, @@server_id")) {
            rs.next();
            assertThat(rs.getInt(1)).as("log_bin").isEqualTo(1);
            assertThat(rs.getString(2)).as("binlog_format").isEqualTo("ROW");
            assertThat(rs.getString(3)).as("binlog_row_image").isEqualTo("FULL");
            assertThat(rs.getInt(4)).as("server_id").isEqualTo(EmbeddedMariaDb.SERVER_ID);
        }
    }

    @Test
    void shouldStoreFourByteUtf8InANewDatabase() throws Exception {
        String url = mariadb.createDatabase(SharedInfrastructure.uniqueName("smoke_utf8"));

        try (Connection c = DriverManager.getConnection(url, mariadb.user(), mariadb.password());
             Statement s = c.createStatement()) {
            s.execute("CREATE TABLE t (id int PRIMARY KEY, name varchar(10))");
            s.execute("INSERT INTO t VALUES (1, 'Zoë 😀')");
            try (ResultSet rs = s.executeQuery("SELECT name FROM t")) {
                rs.next();
                assertThat(rs.getString(1)).isEqualTo("Zoë 😀");
            }
        }
    }

    @Test
    void shouldHaveNoAnonymousUserAndRefuseRootOverTcp() throws Exception {
        try (Connection c = DriverManager.getConnection(mariadb.jdbcUrl(""), mariadb.user(), mariadb.password());
             Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT count(*) FROM mysql.user WHERE user = ''")) {
            rs.next();
            assertThat(rs.getInt(1)).isZero();
        }
        assertThatThrownBy(() -> DriverManager.getConnection(mariadb.jdbcUrl(""), "root", ""))
                .isInstanceOf(SQLException.class);
        assertThatThrownBy(() -> DriverManager.getConnection(mariadb.jdbcUrl(""), "nobody", ""))
                .isInstanceOf(SQLException.class);
    }
}
