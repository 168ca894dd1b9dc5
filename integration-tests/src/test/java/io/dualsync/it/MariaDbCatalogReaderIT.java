package io.dualsync.it;

import io.dualsync.catalog.Catalog;
import io.dualsync.catalog.Column;
import io.dualsync.catalog.JdbcCatalogReader;
import io.dualsync.catalog.SqlType;
import io.dualsync.catalog.SqlType.Kind;
import io.dualsync.catalog.TableSchema;
import io.dualsync.config.ConfigLoader;
import io.dualsync.config.SyncConfig;
import io.dualsync.config.TableRef;
import io.dualsync.launcher.infra.EmbeddedMariaDb;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The catalog reader against a real MariaDB 11.4: every MariaDB type of the README's
 * "PostgreSQL <-> MariaDB" table is read as the exact {@link SqlType} the writers rely on, with
 * nullability, the primary key and the unique indexes. It lives here rather than in schemas
 * because it shares the integration tests' MariaDB server (started once per JVM) instead of
 * starting a third one, and it goes through the public {@link JdbcCatalogReader} as the launcher does.
 */
class MariaDbCatalogReaderIT {

    @TempDir
    static Path dir;
    static String database;
    static Catalog catalog;

    @BeforeAll
    static void readTheCatalogOfATableWithEveryType() throws Exception {
        EmbeddedMariaDb mariadb = SharedInfrastructure.get().mariadb();
        database = SharedInfrastructure.uniqueName("catalog");
        String url = mariadb.createDatabase(database);
        try (Connection c = DriverManager.getConnection(url, mariadb.user(), mariadb.password());
             Statement s = c.createStatement()) {
            s.execute("""
                    CREATE TABLE every_type (
                      id bigint NOT NULL,
                      b boolean NOT NULL,
                      t1 tinyint(1),
                      ti tinyint,
                      tiu tinyint unsigned,
                      si smallint,
                      siu smallint unsigned,
                      mi mediumint,
                      miu mediumint unsigned,
                      i int,
                      iu int unsigned,
                      bi bigint,
                      biu bigint unsigned,
                      d38 decimal(38,10),
                      d65 decimal(65,30),
                      f float,
                      db double,
                      tt tinytext,
                      tx text,
                      mt mediumtext,
                      lt longtext,
                      vc varchar(100),
                      ch char(10),
                      en enum('red','green','blue'),
                      st set('a','b'),
                      vc3 varchar(20) CHARACTER SET utf8mb3,
                      vcl varchar(20) CHARACTER SET latin1,
                      dt date,
                      tm time(6),
                      tm0 time,
                      dtm datetime(6),
                      dtm3 datetime(3),
                      ts timestamp(6) NULL,
                      uu uuid,
                      uc char(36),
                      ub binary(16),
                      js json,
                      vb varbinary(255),
                      tb tinyblob,
                      bl blob,
                      mb mediumblob,
                      lb longblob,
                      code varchar(20) NOT NULL,
                      part_a int NOT NULL,
                      part_b int NOT NULL,
                      PRIMARY KEY (id),
                      UNIQUE KEY uq_code (code),
                      UNIQUE KEY uq_parts (part_b, part_a)
                    ) CHARACTER SET utf8mb4""");
            s.execute("CREATE TABLE other (id int PRIMARY KEY)");
        }
        Path password = Files.writeString(dir.resolve("password"), mariadb.password());
        Path config = Files.writeString(dir.resolve("catalog.yaml"), """
                kafka: { bootstrap: "localhost:9" }
                registry: { url: "http://localhost:9" }
                endpoints:
                  catalogdb: { kind: mariadb, url: "%s", user: %s, passwordFile: "%s", serverId: 4242 }
                maps:
                  - name: everytype
                    a: catalogdb.%s.other
                    b: catalogdb.%s.every_type
                    key: [ { a: id, b: id } ]
                    fields: [ { a: id, b: id } ]
                """.formatted(url, mariadb.user(), password, database, database));
        SyncConfig syncConfig = ConfigLoader.load(config);
        catalog = JdbcCatalogReader.read(syncConfig, JdbcCatalogReader::connect);
    }

    @Test
    void shouldReadEveryMariaDbTypeExactly() {
        Map<String, Column> columns = table().columnsByName();

        Map<String, SqlType> expected = new java.util.LinkedHashMap<>();
        expected.put("id", SqlType.of(Kind.INT64, "bigint"));
        expected.put("b", SqlType.of(Kind.BOOLEAN, "tinyint(1)"));
        expected.put("t1", SqlType.of(Kind.BOOLEAN, "tinyint(1)"));
        expected.put("ti", SqlType.of(Kind.INT16, "tinyint"));
        expected.put("tiu", SqlType.of(Kind.INT16, "tinyint unsigned"));
        expected.put("si", SqlType.of(Kind.INT16, "smallint"));
        expected.put("siu", SqlType.of(Kind.INT32, "smallint unsigned"));
        expected.put("mi", SqlType.of(Kind.INT32, "mediumint"));
        expected.put("miu", SqlType.of(Kind.INT32, "mediumint unsigned"));
        expected.put("i", SqlType.of(Kind.INT32, "int"));
        expected.put("iu", SqlType.of(Kind.INT64, "int unsigned"));
        expected.put("bi", SqlType.of(Kind.INT64, "bigint"));
        expected.put("biu", SqlType.decimal(20, 0, "bigint unsigned"));
        expected.put("d38", SqlType.decimal(38, 10, "decimal"));
        expected.put("d65", SqlType.decimal(65, 30, "decimal"));
        expected.put("f", SqlType.of(Kind.FLOAT32, "float"));
        expected.put("db", SqlType.of(Kind.FLOAT64, "double"));
        expected.put("tt", SqlType.of(Kind.STRING, "tinytext"));
        expected.put("tx", SqlType.of(Kind.STRING, "text"));
        expected.put("mt", SqlType.of(Kind.STRING, "mediumtext"));
        expected.put("lt", SqlType.of(Kind.STRING, "longtext"));
        expected.put("vc", new SqlType(Kind.STRING, 100, 0, "varchar"));
        expected.put("ch", new SqlType(Kind.STRING, 10, 0, "char"));
        expected.put("en", SqlType.of(Kind.STRING, "enum"));
        expected.put("st", SqlType.of(Kind.STRING, "set"));
        expected.put("vc3", new SqlType(Kind.STRING, 20, 0, "varchar character set utf8mb3"));
        expected.put("vcl", new SqlType(Kind.STRING, 20, 0, "varchar character set latin1"));
        expected.put("dt", SqlType.of(Kind.DATE, "date"));
        expected.put("tm", new SqlType(Kind.TIME, 6, 0, "time"));
        expected.put("tm0", new SqlType(Kind.TIME, 0, 0, "time"));
        expected.put("dtm", new SqlType(Kind.TIMESTAMP, 6, 0, "datetime"));
        expected.put("dtm3", new SqlType(Kind.TIMESTAMP, 3, 0, "datetime"));
        expected.put("ts", new SqlType(Kind.TIMESTAMPTZ, 6, 0, "timestamp"));
        expected.put("uu", SqlType.of(Kind.UUID, "uuid"));
        expected.put("uc", new SqlType(Kind.STRING, 36, 0, "char"));
        expected.put("ub", new SqlType(Kind.BYTES, 16, 0, "binary"));
        expected.put("js", SqlType.of(Kind.JSON, "json"));
        expected.put("vb", new SqlType(Kind.BYTES, 255, 0, "varbinary"));
        expected.put("tb", SqlType.of(Kind.BYTES, "tinyblob"));
        expected.put("bl", SqlType.of(Kind.BYTES, "blob"));
        expected.put("mb", SqlType.of(Kind.BYTES, "mediumblob"));
        expected.put("lb", SqlType.of(Kind.BYTES, "longblob"));
        expected.put("code", new SqlType(Kind.STRING, 20, 0, "varchar"));
        expected.put("part_a", SqlType.of(Kind.INT32, "int"));
        expected.put("part_b", SqlType.of(Kind.INT32, "int"));

        assertThat(columns.keySet()).containsExactlyElementsOf(expected.keySet());
        expected.forEach((name, type) -> assertThat(columns.get(name).type()).as(name).isEqualTo(type));
    }

    @Test
    void shouldReadNullability() {
        Map<String, Column> columns = table().columnsByName();

        assertThat(columns.get("id").nullable()).isFalse();
        assertThat(columns.get("b").nullable()).isFalse();
        assertThat(columns.get("code").nullable()).isFalse();
        assertThat(columns.get("t1").nullable()).isTrue();
        assertThat(columns.get("ts").nullable()).isTrue();
        assertThat(columns.get("js").nullable()).isTrue();
        assertThat(columns.get("lb").nullable()).isTrue();
    }

    @Test
    void shouldReadThePrimaryKeyAndEveryUniqueIndexInColumnOrder() {
        TableSchema table = table();

        assertThat(table.primaryKey()).containsExactly("id");
        assertThat(table.uniqueKeys()).containsExactlyInAnyOrder(List.of("code"), List.of("part_b", "part_a"));
    }

    private static TableSchema table() {
        return catalog.require(new TableRef("catalogdb", database, "every_type"));
    }
}
