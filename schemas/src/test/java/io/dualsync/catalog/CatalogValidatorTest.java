package io.dualsync.catalog;

import io.dualsync.config.SyncConfig;
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

class CatalogValidatorTest {

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
            s.execute("""
                    CREATE TABLE crm.account (
                      id int4 PRIMARY KEY, account_number varchar(20) NOT NULL UNIQUE, name text, credit float8,
                      credit_limit numeric(38,10), amount numeric(12,2), status text, relationship_type text,
                      company_id text, modified timestamp, active bool, big int8, tags text[],
                      deleted bool, deleted_at timestamptz)""");
            s.execute("""
                    CREATE TABLE erp.customer (
                      no varchar(30) PRIMARY KEY, name varchar(100), credit_limit numeric(38,10), blocked text,
                      company_code text, modified timestamptz, deleted bool, deleted_at timestamptz, deleted_note text,
                      qty int4, ratio float8, flag int4, born date)""");
        }
    }

    @AfterAll
    static void stopPostgres() throws IOException {
        postgres.close();
    }

    private List<String> problems(String map) {
        SyncConfig config = TestConfigs.config(dir, url, map);
        Catalog catalog = JdbcCatalogReader.read(config, JdbcCatalogReader::connect);
        return CatalogValidator.check(config, catalog).stream().map(CatalogProblem::toString).toList();
    }

    private static final String CUSTOMERS = """
            - name: customers
              a: crm.crm.account
              b: erp.erp.customer
              direction: bidirectional
              key: [ { a: account_number, b: no } ]
              fields:
                - { a: name, b: name }
                - { a: credit_limit, b: credit_limit }
                - { a: status, b: blocked, values: { active: "", inactive: all } }
                - { a: modified, b: modified }
                - { a: account_number, b: no, toB: { prefix: "C-" } }
              filter: { a: "relationship_type = 'customer'", b: "blocked = ''" }
              companies: { a: company_id, b: company_code, include: [ CRONUS-US ] }
              deletes: { soft: deleted }
            """;

    @Test
    void shouldAcceptAConfigThatFitsTheLiveTables() {
        assertThat(problems(CUSTOMERS)).isEmpty();
    }

    @Test
    void shouldReportOnInsertColumnsThatDoNotExistAndValuesTheirColumnCannotHold() {
        String map = CUSTOMERS.replace("deletes: { soft: deleted }", """
                deletes: { soft: deleted }
                  onInsert:
                    a: { relationship_type: customer, active: "yes", big: "12.5", amount: "1.005", stauts: active }
                    b: { qty: "7", born: "2026-02-29", deleted_note: "" }""");
        assertThat(problems(map)).containsExactly(
                "map 'customers', a (crm.crm.account): onInsert column 'stauts' does not exist in crm.account; similar columns: status. "
                        + "Fix: correct the column name in the map, or add the column to the table",
                "map 'customers', a (crm.crm.account): onInsert value of column 'active' is not true or false (bool). "
                        + "Fix: write a value of the column's type under onInsert.a, e.g. true",
                "map 'customers', a (crm.crm.account): onInsert value of column 'big' is not an integer in the range of int8. "
                        + "Fix: write a value of the column's type under onInsert.a, e.g. 1",
                "map 'customers', a (crm.crm.account): onInsert value of column 'amount' is not a number numeric holds exactly: "
                        + "decimal with 3 fractional digits does not fit numeric(12,2) without rounding. "
                        + "Fix: write a value of the column's type under onInsert.a, e.g. 0.5",
                "map 'customers', b (erp.erp.customer): onInsert value of column 'born' is not an ISO-8601 date (2026-11-30). "
                        + "Fix: write a value of the column's type under onInsert.b, e.g. 2026-11-30");
    }

    @Test
    void shouldReportAMissingTableNamingEndpointAndQualifiedTable() {
        assertThat(problems(CUSTOMERS.replace("erp.erp.customer", "erp.erp.customers"))).containsExactly(
                "map 'customers', b (erp.erp.customers): table erp.customers does not exist on endpoint erp. "
                        + "Fix: create the table, or correct b: in the map (names are case-sensitive)");
    }

    @Test
    void shouldReportMissingColumnsWithSimilarNames() {
        assertThat(problems(CUSTOMERS.replace("{ a: name, b: name }", "{ a: nmae, b: name }")
                .replace("relationship_type =", "relation_type =")
                .replace("company_code", "company")
                .replace("{ a: account_number, b: no } ]", "{ a: account_number, b: number } ]"))).containsExactly(
                "map 'customers', a (crm.crm.account): field column 'nmae' does not exist in crm.account; similar columns: name. "
                        + "Fix: correct the column name in the map, or add the column to the table",
                "map 'customers', a (crm.crm.account): filter column 'relation_type' does not exist in crm.account. "
                        + "Fix: correct the column name in the map, or add the column to the table",
                "map 'customers', b (erp.erp.customer): key column 'number' does not exist in erp.customer. "
                        + "Fix: correct the column name in the map, or add the column to the table",
                "map 'customers', b (erp.erp.customer): company column 'company' does not exist in erp.customer. "
                        + "Fix: correct the column name in the map, or add the column to the table");
    }

    @Test
    void shouldReportAReferencedColumnMissingFromTheReferencedMapsTables() {
        String owners = """
                - name: owners
                  a: crm.crm.account
                  b: erp.erp.customer
                  key: [ { a: account_number, b: no } ]
                  fields:
                    - { a: big, b: name, ref: { map: customers, a: idd, b: nmae } }
                """;
        assertThat(problems(CUSTOMERS + owners)).containsExactly(
                "map 'owners', a (crm.crm.account): referenced column 'idd' does not exist in crm.account (side a of map"
                        + " 'customers'); similar columns: id. Fix: correct ref.a in the field, or name another column",
                "map 'owners', b (erp.erp.customer): referenced column 'nmae' does not exist in erp.customer (side b of map"
                        + " 'customers'); similar columns: name. Fix: correct ref.b in the field, or name another column");
        assertThat(problems(CUSTOMERS + owners.replace("idd", "id").replace("nmae", "no")))
                .as("a reference's own columns need not have the parent's types: the parent's identifier is written").isEmpty();
    }

    @Test
    void shouldReportAParentColumnThatAFilterTestsButTheParentTableLacks() {
        String owners = """
                - name: owners
                  a: crm.crm.account
                  b: erp.erp.customer
                  key: [ { a: account_number, b: no } ]
                  fields:
                    - { a: big, b: name, ref: { map: customers, a: id, b: no } }
                  filter: { a: "big.relation_kind = 'x' and big.name = 'y'" }
                """;
        assertThat(problems(CUSTOMERS + owners)).containsExactly(
                "map 'owners', a (crm.crm.account): filter column 'big.relation_kind': the parent table crm.account has no column"
                        + " 'relation_kind'. Fix: test a column of the parent's table");
    }

    @Test
    void shouldRequireTheKeyToBeUniqueOnEachSideTheMapWritesTo() {
        String byName = """
                - name: by-name
                  a: crm.crm.account
                  b: erp.erp.customer
                  direction: %s
                  key: [ { a: name, b: name } ]
                  fields: [ { a: account_number, b: no } ]
                """;
        assertThat(problems(byName.formatted("a-to-b"))).containsExactly(
                "map 'by-name', b (erp.erp.customer): key columns (name) are not the primary key or a unique index of erp.customer "
                        + "(primary key: (no); unique indexes: none), so changes cannot be applied idempotently. "
                        + "Fix: create a unique index on (name), or key the map on the table's primary key");
        assertThat(problems(byName.formatted("b-to-a"))).containsExactly(
                "map 'by-name', a (crm.crm.account): key columns (name) are not the primary key or a unique index of crm.account "
                        + "(primary key: (id); unique indexes: (account_number)), so changes cannot be applied idempotently. "
                        + "Fix: create a unique index on (name), or key the map on the table's primary key");
    }

    @Test
    void shouldRefuseFieldTypesThatWouldLoseDataAndAllowTheRest() {
        assertThat(problems("""
                - name: types
                  a: crm.crm.account
                  b: erp.erp.customer
                  key: [ { a: account_number, b: no } ]
                  fields:
                    - { a: credit, b: credit_limit }
                    - { a: big, b: ratio }
                    - { a: amount, b: qty }
                    - { a: active, b: flag }
                    - { a: modified, b: born }
                    - { a: status, b: qty }
                    - { a: active, b: blocked }
                    - { a: status, b: flag, values: { open: "1", closed: "0" } }
                    - { a: id, b: credit_limit }
                    - { a: modified, b: deleted_at }
                """)).containsExactly(
                "map 'types', b (erp.erp.customer): cannot write a.credit (float8) to b.credit_limit (numeric(38,10)): "
                        + "float values are binary fractions; writing them to numeric(38,10) would invent or drop digits. "
                        + "Fix: map columns of compatible types, change a column's type, or make the map flow the other way only",
                "map 'types', b (erp.erp.customer): cannot write a.big (int8) to b.ratio (float8): float8 would round some int8 values. "
                        + "Fix: map columns of compatible types, change a column's type, or make the map flow the other way only",
                "map 'types', b (erp.erp.customer): cannot write a.amount (numeric(12,2)) to b.qty (int4): "
                        + "numeric(12,2) can hold fractions that int4 cannot. "
                        + "Fix: map columns of compatible types, change a column's type, or make the map flow the other way only",
                "map 'types', b (erp.erp.customer): cannot write a.active (bool) to b.flag (int4): dualsync does not convert bool to int4. "
                        + "Fix: map columns of compatible types, change a column's type, or make the map flow the other way only",
                "map 'types', b (erp.erp.customer): cannot write a.modified (timestamp) to b.born (date): "
                        + "dualsync does not convert timestamp to date. "
                        + "Fix: map columns of compatible types, change a column's type, or make the map flow the other way only");
    }

    @Test
    void shouldCheckTypesInEachDirectionTheMapFlows() {
        String map = """
                - name: ratio
                  a: crm.crm.account
                  b: erp.erp.customer
                  direction: %s
                  key: [ { a: account_number, b: no } ]
                  fields: [ { a: id, b: ratio } ]
                """;
        String floatToInt = "map 'ratio', a (crm.crm.account): cannot write b.ratio (float8) to a.id (int4): "
                + "float values are binary fractions; writing them to int4 would invent or drop digits. "
                + "Fix: map columns of compatible types, change a column's type, or make the map flow the other way only";

        assertThat(problems(map.formatted("a-to-b"))).isEmpty();
        assertThat(problems(map.formatted("bidirectional"))).containsExactly(floatToInt);
        assertThat(problems(map.formatted("b-to-a"))).containsExactly(floatToInt);
    }

    @Test
    void shouldRequireASoftDeleteColumnOnTheTargetThatIsBooleanOrATimestamp() {
        assertThat(problems(CUSTOMERS.replace("soft: deleted", "soft: deleted_at"))).isEmpty();
        assertThat(problems(CUSTOMERS.replace("soft: deleted", "soft: deleted_note"))).containsExactly(
                "map 'customers', a (crm.crm.account): soft-delete column 'deleted_note' does not exist in crm.account; "
                        + "similar columns: deleted_at. "
                        + "Fix: correct the column name in the map, or add the column to the table",
                "map 'customers', b (erp.erp.customer): soft-delete column 'deleted_note' is text, not boolean or a timestamp. "
                        + "Fix: use a boolean column (set true on delete) or a timestamp column (set to the delete time)");
    }

    @Test
    void shouldRefuseAPrefixTowardAColumnThatIsNotText() {
        assertThat(problems(CUSTOMERS.replace("{ a: name, b: name }", "{ a: big, b: qty, toB: { prefix: \"N\" } }"))).containsExactly(
                "map 'customers', b (erp.erp.customer): toB adds a prefix, but 'qty' is int4, not text. "
                        + "Fix: remove the prefix, or map to a text column");
    }

    @Test
    void shouldReportReadingAndValidationProblemsTogetherOncePerColumn() {
        SyncConfig config = TestConfigs.config(dir, url, CUSTOMERS.replace("{ a: name, b: name }", "{ a: tags, b: name }")
                .replace("{ a: modified, b: modified }", "{ a: modified, b: changed }"));

        CatalogException e = catchThrowableOfType(CatalogException.class,
                () -> JdbcCatalogReader.readValidated(config, JdbcCatalogReader::connect));

        assertThat(e.getMessage()).isEqualTo("2 catalog problem(s)\n"
                + "map 'customers', a (crm.crm.account): column 'tags' has type text[]: arrays are not supported. "
                + "Fix: leave the column out of the map, or change its type to a supported one\n"
                + "map 'customers', b (erp.erp.customer): field column 'changed' does not exist in erp.customer. "
                + "Fix: correct the column name in the map, or add the column to the table");
    }

    @Test
    void shouldReturnTheCatalogWhenEverythingFits() {
        SyncConfig config = TestConfigs.config(dir, url, CUSTOMERS);

        Catalog catalog = JdbcCatalogReader.readValidated(config, JdbcCatalogReader::connect);

        assertThat(catalog.tables()).hasSize(2);
    }
}
