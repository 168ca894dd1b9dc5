package io.dualsync.it;

import io.dualsync.capture.ColumnEquals;
import io.dualsync.config.EndpointKind;
import io.dualsync.launcher.infra.EmbeddedMariaDb;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

import static io.dualsync.it.Sql.exec;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The condition capture gives Debezium to read a parent's children again ({@link ColumnEquals}),
 * run on real PostgreSQL and MariaDB: each value, quotes, backslashes, a dollar-quote tag, an
 * injection attempt and emoji included, finds exactly its own row, in a text and in a numeric column.
 */
class ColumnEqualsIT {

    private static final List<String> VALUES = List.of("plain", "it's", "back\\slash", "$q$ tagged $qq$",
            "x' or '1'='1", "'; drop table child; --", "ü€😀", "");

    @Test
    void shouldFindExactlyTheRowsHoldingEachValueOnPostgreSql() throws Exception {
        var infra = SharedInfrastructure.get();
        String url = infra.postgres().createDatabase(SharedInfrastructure.uniqueName("colpg"));
        try (Connection c = DriverManager.getConnection(url, infra.postgres().user(), null)) {
            exec(c, "create table child (id int primary key, \"Parent Ref\" text, parent_no bigint)");
            assertEachValueFindsItsRow(c, EndpointKind.POSTGRES);
        }
    }

    @Test
    void shouldFindExactlyTheRowsHoldingEachValueOnMariaDb() throws Exception {
        EmbeddedMariaDb mariadb = SharedInfrastructure.get().mariadb();
        String url = mariadb.createDatabase(SharedInfrastructure.uniqueName("colmdb"));
        try (Connection c = DriverManager.getConnection(url, mariadb.user(), mariadb.password())) {
            exec(c, "CREATE TABLE child (id INT PRIMARY KEY, `Parent Ref` VARCHAR(100), parent_no BIGINT) CHARACTER SET utf8mb4");
            assertEachValueFindsItsRow(c, EndpointKind.MARIADB);
        }
    }

    private static void assertEachValueFindsItsRow(Connection c, EndpointKind kind) throws Exception {
        try (var insert = c.prepareStatement("INSERT INTO child VALUES (?, ?, ?)")) {
            for (int i = 0; i < VALUES.size(); i++) {
                insert.setInt(1, i);
                insert.setString(2, VALUES.get(i));
                insert.setLong(3, 1000 + i);
                insert.executeUpdate();
            }
        }
        for (int i = 0; i < VALUES.size(); i++) {
            assertThat(ids(c, ColumnEquals.sql(kind, "Parent Ref", VALUES.get(i)))).as(VALUES.get(i)).containsExactly(i);
            assertThat(ids(c, ColumnEquals.sql(kind, "parent_no", Integer.toString(1000 + i)))).containsExactly(i);
        }
        assertThat(ids(c, ColumnEquals.sql(kind, "Parent Ref", "PLAIN"))).as("case counts").isEmpty();
        assertThat(ids(c, "1 = 1")).hasSize(VALUES.size());
    }

    private static List<Integer> ids(Connection c, String condition) throws Exception {
        List<Integer> ids = new ArrayList<>();
        try (Statement s = c.createStatement(); ResultSet r = s.executeQuery("SELECT id FROM child WHERE " + condition + " ORDER BY id")) {
            while (r.next()) {
                ids.add(r.getInt(1));
            }
        }
        return ids;
    }
}
