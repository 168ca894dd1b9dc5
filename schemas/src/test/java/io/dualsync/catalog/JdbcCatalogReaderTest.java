package io.dualsync.catalog;

import io.dualsync.catalog.SqlType.Kind;
import io.dualsync.config.SyncConfig;
import io.dualsync.config.TableRef;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

class JdbcCatalogReaderTest {

    private static EmbeddedPostgres postgres;
    private static String url;

    @TempDir
    Path dir;

    @BeforeAll
    static void startPostgres() throws IOException, SQLException {
        postgres = EmbeddedPostgres.builder().start();
        url = postgres.getJdbcUrl("postgres", "postgres");
        try (Connection c = postgres.getPostgresDatabase().getConnection(); Statement s = c.createStatement()) {
            s.execute("CREATE SCHEMA crm");
            s.execute("CREATE SCHEMA erp");
            s.execute("CREATE TYPE crm.mood AS ENUM ('happy', 'sad')");
            s.execute("CREATE DOMAIN crm.code AS varchar(10)");
            s.execute("""
                    CREATE TABLE crm.all_types (
                      id int4 PRIMARY KEY, b bool, s int2, i int4 NOT NULL, l int8,
                      n numeric(38,10), nb numeric, f float4, d float8,
                      t text, v varchar(20), c char(3), dt date, tm time, tm3 time(3), ts timestamp, tstz timestamptz,
                      u uuid, j json, jb jsonb, by bytea, m crm.mood, cd crm.code, arr int4[], pt point)""");
            s.execute("CREATE TABLE erp.keyed (id int8 PRIMARY KEY, email text UNIQUE, a int4, b int4, note text, UNIQUE (a, b))");
            s.execute("CREATE UNIQUE INDEX keyed_partial ON erp.keyed (note) WHERE note IS NOT NULL");
            s.execute("CREATE UNIQUE INDEX keyed_expression ON erp.keyed (lower(email))");
            s.execute("CREATE UNIQUE INDEX keyed_include ON erp.keyed (b) INCLUDE (note)");
            s.execute("CREATE TABLE erp.no_key (x text)");
        }
    }

    @AfterAll
    static void stopPostgres() throws IOException {
        postgres.close();
    }

    private SyncConfig config(String maps) {
        return TestConfigs.config(dir, url, maps);
    }

    private static final String ALL_TYPES_TO_KEYED = """
            - name: types
              a: crm.crm.all_types
              b: erp.erp.keyed
              key: [ { a: id, b: id } ]
              fields: [ { a: t, b: note } ]
            """;

    @Test
    void shouldMapEveryPostgresTypeToItsSqlType() {
        Catalog catalog = JdbcCatalogReader.read(config(ALL_TYPES_TO_KEYED), JdbcCatalogReader::connect);

        TableSchema table = catalog.require(new TableRef("crm", "crm", "all_types"));
        assertThat(table.columns()).containsExactly(
                new Column("id", SqlType.of(Kind.INT32, "int4"), false),
                new Column("b", SqlType.of(Kind.BOOLEAN, "bool"), true),
                new Column("s", SqlType.of(Kind.INT16, "int2"), true),
                new Column("i", SqlType.of(Kind.INT32, "int4"), false),
                new Column("l", SqlType.of(Kind.INT64, "int8"), true),
                new Column("n", SqlType.decimal(38, 10, "numeric"), true),
                new Column("nb", SqlType.decimal(0, -1, "numeric"), true),
                new Column("f", SqlType.of(Kind.FLOAT32, "float4"), true),
                new Column("d", SqlType.of(Kind.FLOAT64, "float8"), true),
                new Column("t", SqlType.of(Kind.STRING, "text"), true),
                new Column("v", new SqlType(Kind.STRING, 20, 0, "varchar"), true),
                new Column("c", new SqlType(Kind.STRING, 3, 0, "bpchar"), true),
                new Column("dt", SqlType.of(Kind.DATE, "date"), true),
                new Column("tm", new SqlType(Kind.TIME, 6, 0, "time"), true),
                new Column("tm3", new SqlType(Kind.TIME, 3, 0, "time"), true),
                new Column("ts", new SqlType(Kind.TIMESTAMP, 6, 0, "timestamp"), true),
                new Column("tstz", new SqlType(Kind.TIMESTAMPTZ, 6, 0, "timestamptz"), true),
                new Column("u", SqlType.of(Kind.UUID, "uuid"), true),
                new Column("j", SqlType.of(Kind.JSON, "json"), true),
                new Column("jb", SqlType.of(Kind.JSON, "jsonb"), true),
                new Column("by", SqlType.of(Kind.BYTES, "bytea"), true),
                new Column("m", SqlType.of(Kind.STRING, "mood"), true),
                new Column("cd", new SqlType(Kind.STRING, 10, 0, "varchar"), true));
        assertThat(table.primaryKey()).containsExactly("id");
    }

    @Test
    void shouldReadThePrimaryKeyAndOnlyPlainUniqueIndexes() {
        Catalog catalog = JdbcCatalogReader.read(config(ALL_TYPES_TO_KEYED), JdbcCatalogReader::connect);

        TableSchema keyed = catalog.require(new TableRef("erp", "erp", "keyed"));
        assertThat(keyed.primaryKey()).containsExactly("id");
        // keyed_partial (predicate) and keyed_expression (expression) cannot serve ON CONFLICT (cols).
        assertThat(keyed.uniqueKeys()).containsExactlyInAnyOrder(List.of("a", "b"), List.of("email"), List.of("b"));
        assertThat(keyed.isUniqueKey(List.of("b", "a"))).isTrue();
        assertThat(keyed.isUniqueKey(List.of("note"))).isFalse();
    }

    @Test
    void shouldReportAnUnsupportedTypeOnlyWhenTheMapNamesTheColumn() {
        SyncConfig config = config(ALL_TYPES_TO_KEYED.replace("fields: [ { a: t, b: note } ]",
                "fields: [ { a: arr, b: note }, { a: pt, b: email } ]"));

        CatalogException e = catchThrowableOfType(CatalogException.class, () -> JdbcCatalogReader.read(config, JdbcCatalogReader::connect));

        assertThat(e.problems()).map(CatalogProblem::toString).containsExactly(
                "map 'types', a (crm.crm.all_types): column 'arr' has type integer[]: arrays are not supported. "
                        + "Fix: leave the column out of the map, or change its type to a supported one",
                "map 'types', a (crm.crm.all_types): column 'pt' has type point: dualsync does not support this type. "
                        + "Fix: leave the column out of the map, or change its type to a supported one");
    }

    @Test
    void shouldLeaveATableThatDoesNotExistOutOfTheCatalog() {
        Catalog catalog = JdbcCatalogReader.read(config(ALL_TYPES_TO_KEYED.replace("erp.erp.keyed", "erp.erp.missing")),
                JdbcCatalogReader::connect);

        assertThat(catalog.tables().keySet()).containsExactly(new TableRef("crm", "crm", "all_types"));
    }

    @Test
    void shouldReportAnEndpointThatCannotBeReached() {
        SyncConfig config = TestConfigs.config(dir, "jdbc:postgresql://127.0.0.1:1/postgres", ALL_TYPES_TO_KEYED);

        CatalogException e = catchThrowableOfType(CatalogException.class, () -> JdbcCatalogReader.read(config, JdbcCatalogReader::connect));

        assertThat(e.problems()).hasSize(2);
        assertThat(e.problems().getFirst().toString()).startsWith(
                "catalog: cannot read the tables of endpoint 'crm': cannot connect to endpoint 'crm' at jdbc:postgresql://127.0.0.1:1/postgres as postgres: ");
        assertThat(e.getMessage()).startsWith("2 catalog problem(s)\n");
    }

    @Test
    void shouldNotReportTheTablesOfAnUnreachableEndpointAsMissing() {
        SyncConfig config = TestConfigs.config(dir, "jdbc:postgresql://127.0.0.1:1/postgres", ALL_TYPES_TO_KEYED);

        CatalogException e = catchThrowableOfType(CatalogException.class, () -> JdbcCatalogReader.readValidated(config, JdbcCatalogReader::connect));

        assertThat(e.problems()).hasSize(2).allSatisfy(p -> assertThat(p.toString()).contains("cannot read the tables of endpoint"));
    }
}
