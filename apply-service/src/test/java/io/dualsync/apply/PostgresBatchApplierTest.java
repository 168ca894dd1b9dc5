package io.dualsync.apply;

import io.dualsync.catalog.SqlType.Kind;
import io.dualsync.catalog.TableSchema;
import io.dualsync.config.DeletePolicy;
import io.dualsync.contract.MappedChange;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;

import static io.dualsync.apply.Tables.column;
import static io.dualsync.apply.Tables.decimal;
import static org.assertj.core.api.Assertions.assertThat;

/** The apply behaviour on PostgreSQL: ON CONFLICT ... DO UPDATE ... WHERE IS DISTINCT FROM. */
class PostgresBatchApplierTest extends AbstractBatchApplierTest {

    private static TestPostgres postgres;
    private static final TargetDatabase DB = new TargetDatabase() {
        @Override
        public SqlDialect dialect() {
            return new PostgresDialect();
        }

        @Override
        public Connection connect() throws SQLException {
            return postgres.connect();
        }

        @Override
        public String schema() {
            return "public";
        }

        @Override
        public String checkpointTable() {
            return "dualsync.apply_checkpoint";
        }

        @Override
        public String rowStateTable() {
            return "dualsync.row_state";
        }
    };

    private static final TableSchema CUSTOMER = Tables.table("public", "customer", List.of("no"),
            column("no", Kind.STRING, "text"),
            column("name", Kind.STRING, "text"),
            decimal("credit_limit", 38, 10),
            column("blocked", Kind.BOOLEAN, "bool"),
            column("deleted_at", Kind.TIMESTAMPTZ, "timestamptz"),
            column("deleted_local", Kind.TIMESTAMP, "timestamp"));

    @BeforeAll
    static void startPostgres() {
        postgres = TestPostgres.start();
    }

    @AfterAll
    static void stopPostgres() throws Exception {
        postgres.close();
    }

    @Override
    TargetDatabase db() {
        return DB;
    }

    @Override
    List<String> createCustomerTable() {
        return List.of("DROP TABLE IF EXISTS public.customer",
                "CREATE TABLE public.customer (no text PRIMARY KEY, name text NOT NULL, "
                        + "credit_limit numeric(38,10) CHECK (credit_limit >= 0), "
                        + "blocked boolean NOT NULL DEFAULT false, deleted_at timestamptz, deleted_local timestamp)");
    }

    @Override
    TableSchema customerTable() {
        return CUSTOMER;
    }

    @Override
    Object rowVersion(String no) throws Exception {
        return postgres.queryValue("SELECT xmin::text FROM public.customer WHERE no = '" + no + "'");
    }

    @Override
    String notNullViolation() {
        return "23502";
    }

    @Override
    String checkViolation() {
        return "23514";
    }

    @Override
    Instant instant(ResultSet rs, int column) throws Exception {
        return rs.getObject(column, OffsetDateTime.class).toInstant();
    }

    @Test
    void shouldWriteABatchInOneTransaction() throws Exception {
        List<MappedChange> changes = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            changes.add(upsert("C-" + i, "Customer " + i, i + ".25", 1_000 + i));
        }

        applier(DeletePolicy.DELETE).apply(connection, changes);

        assertThat(postgres.count("SELECT count(DISTINCT xmin::text) FROM public.customer")).isEqualTo(1);
    }

    @Test
    void shouldRefuseAChangeWhoseKeyMatchesSeveralRowsButNoneExactly() throws Exception {
        db().execute("INSERT INTO " + customer() + " (no, name, credit_limit) VALUES ('C-AB', 'One', 1), ('c-ab', 'Two', 1)");

        ApplyResult result = applier(io.dualsync.config.KeyMatching.IGNORE_CASE).apply(connection, List.of(upsert("C-Ab", "New", "2", 100)));

        assertThat(result.failed()).singleElement().satisfies(f -> assertThat(f.message())
                .contains("2 rows of the target match the change's key under keyMatching ignore-case and none exactly"));
        assertThat(row("C-AB")).containsEntry("name", "One");
        assertThat(row("c-ab")).containsEntry("name", "Two");
    }
}
