package io.dualsync.apply;

import io.dualsync.config.ConflictPolicy;
import io.dualsync.contract.Headers;
import java.util.Optional;

import io.dualsync.contract.CanonicalText;

import io.dualsync.contract.MappedColumns;
import io.dualsync.catalog.SqlType.Kind;
import io.dualsync.catalog.TableSchema;
import io.dualsync.config.DeletePolicy;
import io.dualsync.contract.MappedChange;
import io.dualsync.contract.Operation;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static io.dualsync.apply.Tables.column;
import static io.dualsync.apply.Tables.decimal;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class BatchApplierTest {

    private static final String WORKER = "apply-test-worker";
    private static final Instant COMMIT_TIME = Instant.parse("2024-02-29T23:59:59.123456Z");

    private static TestPostgres postgres;

    /** public.customer: no (key), name NOT NULL, credit_limit numeric(38,10) CHECK >= 0, plus soft-delete columns. */
    private static final TableSchema CUSTOMER = Tables.table("public", "customer", List.of("no"),
            column("no", Kind.STRING, "text"),
            column("name", Kind.STRING, "text"),
            decimal("credit_limit", 38, 10),
            column("blocked", Kind.BOOLEAN, "bool"),
            column("deleted_at", Kind.TIMESTAMPTZ, "timestamptz"),
            column("deleted_local", Kind.TIMESTAMP, "timestamp"));
    private static final MappedColumns MAPPED = new MappedColumns("customers", CUSTOMER,
            List.of("no"), List.of("no", "name", "credit_limit"));

    private Connection connection;

    @BeforeAll
    static void startPostgres() throws Exception {
        postgres = TestPostgres.start();
        try (Connection c = postgres.connect()) {
            new Bookkeeping(new PostgresDialect()).ensureCreated(c);
        }
    }

    @AfterAll
    static void stopPostgres() throws Exception {
        postgres.close();
    }

    @BeforeEach
    void freshTables() throws Exception {
        postgres.execute(
                "DROP TABLE IF EXISTS public.customer",
                "CREATE TABLE public.customer (no text PRIMARY KEY, name text NOT NULL, "
                        + "credit_limit numeric(38,10) CHECK (credit_limit >= 0), "
                        + "blocked boolean NOT NULL DEFAULT false, deleted_at timestamptz, deleted_local timestamp)",
                "TRUNCATE dualsync.row_state, dualsync.apply_checkpoint");
        connection = postgres.connect();
    }

    @AfterEach
    void closeConnection() throws Exception {
        connection.close();
    }

    @Test
    void shouldInsertARowThatIsNotThere() throws Exception {
        ApplyResult result = applier(DeletePolicy.DELETE).apply(connection, List.of(upsert("C-1", "Alice", "10.5", 100)));

        assertThat(result.applied()).isEqualTo(1);
        assertThat(row("C-1")).containsEntry("name", "Alice").containsEntry("credit_limit", new BigDecimal("10.5000000000"));
    }

    @Test
    void shouldUpdateARowToTheNewerImage() throws Exception {
        BatchApplier applier = applier(DeletePolicy.DELETE);
        applier.apply(connection, List.of(upsert("C-1", "Alice", "10", 100)));

        ApplyResult result = applier.apply(connection, List.of(upsert("C-1", "Alicia", "20", 200)));

        assertThat(result.applied()).isEqualTo(1);
        assertThat(row("C-1")).containsEntry("name", "Alicia").containsEntry("credit_limit", new BigDecimal("20.0000000000"));
    }

    @Test
    void shouldLeaveTheRowUntouchedWhenTheUpsertCarriesTheValuesItHolds() throws Exception {
        BatchApplier applier = applier(DeletePolicy.DELETE);
        applier.apply(connection, List.of(upsert("C-1", "Alice", "10", 100)));
        Object xminBefore = postgres.queryValue("SELECT xmin::text FROM public.customer WHERE no = 'C-1'");

        ApplyResult result = applier.apply(connection, List.of(upsert("C-1", "Alice", "10.0", 200)));

        assertThat(result.unchanged()).isEqualTo(1);
        assertThat(result.applied()).isZero();
        assertThat(postgres.queryValue("SELECT xmin::text FROM public.customer WHERE no = 'C-1'")).isEqualTo(xminBefore);
        assertThat(storedPosition("C-1")).isEqualTo(200L);
    }

    @Test
    void shouldDeleteTheRow() throws Exception {
        BatchApplier applier = applier(DeletePolicy.DELETE);
        applier.apply(connection, List.of(upsert("C-1", "Alice", "10", 100)));

        ApplyResult result = applier.apply(connection, List.of(delete("C-1", 200)));

        assertThat(result.applied()).isEqualTo(1);
        assertThat(postgres.count("SELECT count(*) FROM public.customer")).isZero();
        assertThat(storedPosition("C-1")).isEqualTo(200L);
        assertThat(postgres.queryValue("SELECT row_hash FROM dualsync.row_state")).isNull();
    }

    @Test
    void shouldNotResurrectADeletedRowWhenAnOlderUpsertIsRedelivered() throws Exception {
        BatchApplier applier = applier(DeletePolicy.DELETE);
        applier.apply(connection, List.of(upsert("C-1", "Alice", "10", 100)));
        applier.apply(connection, List.of(delete("C-1", 200)));

        ApplyResult redelivered = applier.apply(connection, List.of(upsert("C-1", "Alice", "10", 100)));

        assertThat(redelivered.duplicates()).isEqualTo(1);
        assertThat(postgres.count("SELECT count(*) FROM public.customer")).isZero();
    }

    @Test
    void shouldRecreateARowWhenANewerUpsertFollowsItsDelete() throws Exception {
        BatchApplier applier = applier(DeletePolicy.DELETE);
        applier.apply(connection, List.of(upsert("C-1", "Alice", "10", 100), delete("C-1", 200)));

        ApplyResult result = applier.apply(connection, List.of(upsert("C-1", "Alice again", "1", 300)));

        assertThat(result.applied()).isEqualTo(1);
        assertThat(row("C-1")).containsEntry("name", "Alice again");
    }

    @Test
    void shouldLeaveTheRowButRecordThePositionWhenDeletesAreIgnored() throws Exception {
        BatchApplier applier = applier(DeletePolicy.IGNORE);
        applier.apply(connection, List.of(upsert("C-1", "Alice", "10", 100)));
        String hashBefore = (String) postgres.queryValue("SELECT row_hash FROM dualsync.row_state");

        ApplyResult result = applier.apply(connection, List.of(delete("C-1", 200)));

        assertThat(result.unchanged()).isEqualTo(1);
        assertThat(row("C-1")).containsEntry("name", "Alice");
        assertThat(storedPosition("C-1")).isEqualTo(200L);
        assertThat(postgres.queryValue("SELECT row_hash FROM dualsync.row_state")).isEqualTo(hashBefore);
        assertThat(applier.apply(connection, List.of(upsert("C-1", "Older", "10", 150))).duplicates()).isEqualTo(1);
    }

    @Test
    void shouldSoftDeleteBySettingABooleanColumnToTrue() throws Exception {
        BatchApplier applier = applier(new DeletePolicy(DeletePolicy.Kind.SOFT, Optional.of("blocked")));
        applier.apply(connection, List.of(upsert("C-1", "Alice", "10", 100)));

        ApplyResult result = applier.apply(connection, List.of(delete("C-1", 200)));

        assertThat(result.applied()).isEqualTo(1);
        assertThat(row("C-1")).containsEntry("blocked", true).containsEntry("name", "Alice");
    }

    @Test
    void shouldSoftDeleteBySettingATimestamptzColumnToTheCommitTime() throws Exception {
        BatchApplier applier = applier(new DeletePolicy(DeletePolicy.Kind.SOFT, Optional.of("deleted_at")));
        applier.apply(connection, List.of(upsert("C-1", "Alice", "10", 100)));

        applier.apply(connection, List.of(delete("C-1", 200)));

        Object deletedAt = row("C-1").get("deleted_at");
        assertThat(((OffsetDateTime) deletedAt).toInstant()).isEqualTo(COMMIT_TIME);
    }

    @Test
    void shouldSoftDeleteBySettingAZonelessTimestampToTheCommitTimeInTheEndpointZone() throws Exception {
        ZoneId berlin = ZoneId.of("Europe/Berlin");
        BatchApplier applier = new BatchApplier(new PostgresDialect(), MAPPED,
                new DeletePolicy(DeletePolicy.Kind.SOFT, Optional.of("deleted_local")), WORKER, berlin);
        applier.apply(connection, List.of(upsert("C-1", "Alice", "10", 100)));

        applier.apply(connection, List.of(delete("C-1", 200)));

        assertThat(row("C-1").get("deleted_local")).isEqualTo(LocalDateTime.ofInstant(COMMIT_TIME, berlin));
    }

    @Test
    void shouldSkipAChangeOlderThanTheStoredPositionAndNotMoveTheRowBack() throws Exception {
        BatchApplier applier = applier(DeletePolicy.DELETE);
        applier.apply(connection, List.of(upsert("C-1", "Newer", "20", 200)));

        ApplyResult result = applier.apply(connection, List.of(upsert("C-1", "Older", "10", 100)));

        assertThat(result.duplicates()).isEqualTo(1);
        assertThat(result.applied()).isZero();
        assertThat(row("C-1")).containsEntry("name", "Newer");
        assertThat(storedPosition("C-1")).isEqualTo(200L);
    }

    @Test
    void shouldSkipARedeliveredChangeWithTheSamePosition() throws Exception {
        BatchApplier applier = applier(DeletePolicy.DELETE);
        applier.apply(connection, List.of(upsert("C-1", "Alice", "10", 100)));
        postgres.execute("UPDATE public.customer SET name = 'Local edit'");

        ApplyResult result = applier.apply(connection, List.of(upsert("C-1", "Alice", "10", 100)));

        assertThat(result.duplicates()).isEqualTo(1);
        assertThat(row("C-1")).containsEntry("name", "Local edit");
    }

    @Test
    void shouldApplyOnlyTheNewestOfSeveralChangesToOneRowInABatch() throws Exception {
        ApplyResult result = applier(DeletePolicy.DELETE).apply(connection, List.of(
                upsert("C-1", "First", "1", 100),
                upsert("C-1", "Third", "3", 300),
                upsert("C-1", "Second", "2", 200)));

        assertThat(result.applied()).isEqualTo(1);
        assertThat(result.superseded()).isEqualTo(2);
        assertThat(row("C-1")).containsEntry("name", "Third");
        assertThat(storedPosition("C-1")).isEqualTo(300L);
    }

    @Test
    void shouldApplyABatchOfAThousandRowsInOneTransaction() throws Exception {
        List<MappedChange> changes = new ArrayList<>();
        for (int i = 0; i < 1_000; i++) {
            changes.add(upsert("C-" + i, "Customer " + i, i + ".25", 1_000 + i));
        }

        ApplyResult result = applier(DeletePolicy.DELETE).apply(connection, changes);

        assertThat(result.applied()).isEqualTo(1_000);
        assertThat(postgres.count("SELECT count(*) FROM public.customer")).isEqualTo(1_000);
        assertThat(postgres.count("SELECT count(DISTINCT xmin::text) FROM public.customer")).isEqualTo(1);
        assertThat(postgres.count("SELECT count(*) FROM dualsync.row_state")).isEqualTo(1_000);
        assertThat(postgres.queryValue("SELECT batches FROM dualsync.apply_checkpoint")).isEqualTo(1L);
        assertThat(postgres.queryValue("SELECT last_source_position FROM dualsync.apply_checkpoint")).isEqualTo(1_999L);
    }

    @Test
    void shouldFailOnlyTheChangesTheDatabaseRejectsAndApplyTheRest() throws Exception {
        List<MappedChange> changes = List.of(
                upsert("C-1", "Alice", "10", 100),
                upsert("C-2", null, "10", 101),        // NOT NULL
                upsert("C-3", "Carol", "-1", 102),     // CHECK
                upsert("C-4", "Dave", "40", 103));

        ApplyResult result = applier(DeletePolicy.DELETE).apply(connection, changes);

        assertThat(result.applied()).isEqualTo(2);
        assertThat(result.failed()).extracting(FailedChange::index, FailedChange::sqlState)
                .containsExactlyInAnyOrder(org.assertj.core.groups.Tuple.tuple(1, "23502"),
                        org.assertj.core.groups.Tuple.tuple(2, "23514"));
        assertThat(result.failed()).allSatisfy(f -> {
            assertThat(f.attempts()).isEqualTo(2);
            assertThat(f.message()).isNotBlank();
            assertThat(f.errorClass()).isNotBlank();
            assertThat(f.lastFailure()).isAfterOrEqualTo(f.firstFailure());
        });
        assertThat(postgres.count("SELECT count(*) FROM public.customer")).isEqualTo(2);
        assertThat(postgres.count("SELECT count(*) FROM dualsync.row_state")).isEqualTo(2);
    }

    @Test
    void shouldRefuseADecimalThatWouldBeRoundedAndApplyTheRest() throws Exception {
        ApplyResult result = applier(DeletePolicy.DELETE).apply(connection, List.of(
                upsert("C-1", "Alice", "0.12345678901", 100),
                upsert("C-2", "Bob", "2", 101)));

        assertThat(result.applied()).isEqualTo(1);
        assertThat(result.failed()).singleElement().satisfies(f -> {
            assertThat(f.index()).isZero();
            assertThat(f.sqlState()).isNull();
            assertThat(f.message()).contains("credit_limit").contains("rounding");
        });
        assertThat(postgres.count("SELECT count(*) FROM public.customer")).isEqualTo(1);
    }

    @Test
    void shouldRefuseAChangeWithoutAKeyValueBeforeTouchingTheDatabase() throws Exception {
        Map<String, Object> key = new LinkedHashMap<>();
        key.put("no", null);
        MappedChange nullKey = new MappedChange(Operation.DELETE, "customers", "public.customer", "crm", 100, null,
                COMMIT_TIME, null, key, Map.of());

        ApplyResult result = applier(DeletePolicy.DELETE).apply(connection, List.of(nullKey, upsert("C-2", "Bob", "2", 101)));

        assertThat(result.applied()).isEqualTo(1);
        assertThat(result.failed()).singleElement().satisfies(f -> {
            assertThat(f.index()).isZero();
            assertThat(f.attempts()).isEqualTo(1);
            assertThat(f.message()).contains("key column no is null");
        });
    }

    @Test
    void shouldAdvanceTheCheckpointRowOnEveryBatchEvenWhenNothingElseIsWritten() throws Exception {
        BatchApplier applier = applier(DeletePolicy.DELETE);
        applier.apply(connection, List.of(upsert("C-1", "Alice", "10", 100)));
        Object updatedBefore = postgres.queryValue("SELECT updated_at FROM dualsync.apply_checkpoint");

        applier.apply(connection, List.of(upsert("C-1", "Alice", "10", 100)));  // a duplicate

        assertThat(postgres.queryValue("SELECT batches FROM dualsync.apply_checkpoint WHERE worker_id = '" + WORKER + "'"))
                .isEqualTo(2L);
        assertThat(postgres.queryValue("SELECT updated_at FROM dualsync.apply_checkpoint")).isNotEqualTo(updatedBefore);
    }

    @Test
    void shouldRecordTheHashOfTheAppliedImage() throws Exception {
        applier(DeletePolicy.DELETE).apply(connection, List.of(upsert("C-1", "Alice", "10", 100)));

        Map<String, Object> image = new LinkedHashMap<>();
        image.put("no", "C-1");
        image.put("name", "Alice");
        image.put("credit_limit", new BigDecimal("10.0000000000") // as the column numeric(38,10) stores it);
        assertThat(postgres.queryValue("SELECT row_key FROM dualsync.row_state")).isEqualTo("[\"C-1\"]");
        assertThat(postgres.queryValue("SELECT row_hash FROM dualsync.row_state"))
                .isEqualTo(CanonicalText.rowHash(image))
                .asString().hasSize(64);
        assertThat(postgres.queryValue("SELECT source_endpoint FROM dualsync.row_state")).isEqualTo("crm");
    }

    @Test
    void shouldReportATransientFailureWhenTheConnectionIsLost() throws Exception {
        BatchApplier applier = applier(DeletePolicy.DELETE);
        connection.close();

        assertThatThrownBy(() -> applier.apply(connection, List.of(upsert("C-1", "Alice", "10", 100))))
                .isInstanceOf(TransientApplyException.class)
                .satisfies(e -> assertThat(((TransientApplyException) e).sqlState()).startsWith("08"));
        connection = postgres.connect();
        assertThat(postgres.count("SELECT count(*) FROM public.customer")).isZero();
    }

    @Test
    void shouldRefuseASoftDeleteColumnThatIsNeitherBooleanNorTimestamp() {
        assertThatThrownBy(() -> applier(new DeletePolicy(DeletePolicy.Kind.SOFT, Optional.of("name"))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("soft-delete column 'name' is text");
    }

    // ---- conflicts (bidirectional maps)

    @Test
    void shouldApplyAChangeToARowNobodyChangedLocallySinceTheLastSync() throws Exception {
        BatchApplier applier = applier(ConflictPolicy.FAIL);
        applier.apply(connection, List.of(upsert("C-1", "Alice", "10", 100)));

        ApplyResult result = applier.apply(connection, List.of(upsert("C-1", "Alicia", "10", 200)));

        assertThat(result.applied()).isEqualTo(1);
        assertThat(result.failed()).isEmpty();
    }

    @Test
    void shouldDeadLetterAChangeToALocallyChangedRowAsAConflictWithTheTargetVersion() throws Exception {
        BatchApplier applier = applier(ConflictPolicy.FAIL);
        applier.apply(connection, List.of(upsert("C-1", "Alice", "10", 100), upsert("C-2", "Bob", "5", 101)));
        postgres.execute("UPDATE public.customer SET name = 'Alice (local)' WHERE no = 'C-1'");

        ApplyResult result = applier.apply(connection, List.of(upsert("C-1", "Alicia", "10", 200), upsert("C-2", "Bobby", "5", 201)));

        assertThat(result.failed()).singleElement().satisfies(f -> {
            assertThat(f.errorClass()).isEqualTo(Headers.ERROR_CLASS_CONFLICT);
            assertThat(f.change().columns()).containsEntry("name", "Alicia");
            assertThat(f.targetImage()).isEqualTo("{\"no\":\"C-1\",\"name\":\"Alice (local)\",\"credit_limit\":\"10.0000000000\"}");
        });
        assertThat(row("C-1")).containsEntry("name", "Alice (local)");
        assertThat(row("C-2")).containsEntry("name", "Bobby");
    }

    @Test
    void shouldOverwriteALocalChangeWhenTheIncomingEndpointWins() throws Exception {
        BatchApplier applier = applier(new ConflictPolicy(ConflictPolicy.Kind.ENDPOINT_WINS, Optional.of("crm")));
        applier.apply(connection, List.of(upsert("C-1", "Alice", "10", 100)));
        postgres.execute("UPDATE public.customer SET name = 'Alice (local)' WHERE no = 'C-1'");

        ApplyResult result = applier.apply(connection, List.of(upsert("C-1", "Alicia", "10", 200)));

        assertThat(result.applied()).isEqualTo(1);
        assertThat(row("C-1")).containsEntry("name", "Alicia");
    }

    @Test
    void shouldKeepTheLocalChangeWhenTheTargetEndpointWinsAndAcceptTheNextChangeAfterIt() throws Exception {
        BatchApplier applier = applier(new ConflictPolicy(ConflictPolicy.Kind.ENDPOINT_WINS, Optional.of("erp")));
        applier.apply(connection, List.of(upsert("C-1", "Alice", "10", 100)));
        postgres.execute("UPDATE public.customer SET name = 'Alice (local)' WHERE no = 'C-1'");

        ApplyResult kept = applier.apply(connection, List.of(upsert("C-1", "Alicia", "10", 200)));
        ApplyResult later = applier.apply(connection, List.of(upsert("C-1", "Alice again", "10", 300)));

        assertThat(kept.applied()).isZero();
        assertThat(kept.failed()).isEmpty();
        assertThat(later.applied()).isEqualTo(1);
        assertThat(row("C-1")).containsEntry("name", "Alice again");
    }

    @Test
    void shouldRefuseAKeyThatIsNotUniqueInTheTarget() {
        MappedColumns byName = new MappedColumns("customers", CUSTOMER, List.of("name"), List.of("no", "name"));

        assertThatThrownBy(() -> new BatchApplier(new PostgresDialect(), byName, DeletePolicy.DELETE, WORKER, ZoneOffset.UTC))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("is not the primary key or a unique index");
    }

    private static BatchApplier applier(ConflictPolicy conflicts) {
        return new BatchApplier(new PostgresDialect(), MAPPED, DeletePolicy.DELETE, conflicts, WORKER, ZoneOffset.UTC);
    }

    private static BatchApplier applier(DeletePolicy deletes) {
        return new BatchApplier(new PostgresDialect(), MAPPED, deletes, WORKER, ZoneOffset.UTC);
    }

    private static MappedChange upsert(String no, String name, String creditLimit, long position) {
        Map<String, Object> columns = new LinkedHashMap<>();
        columns.put("no", no);
        columns.put("name", name);
        columns.put("credit_limit", new BigDecimal(creditLimit));
        return new MappedChange(Operation.UPSERT, "customers", "public.customer", "crm", position, "tx" + position,
                COMMIT_TIME, null, Map.of("no", no), columns);
    }

    private static MappedChange delete(String no, long position) {
        return new MappedChange(Operation.DELETE, "customers", "public.customer", "crm", position, "tx" + position,
                COMMIT_TIME, null, Map.of("no", no), Map.of());
    }

    private static Map<String, Object> row(String no) throws Exception {
        try (Connection c = postgres.connect(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT * FROM public.customer WHERE no = '" + no + "'")) {
            assertThat(rs.next()).as("row %s exists", no).isTrue();
            Map<String, Object> row = new LinkedHashMap<>();
            for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
                String name = rs.getMetaData().getColumnName(i);
                row.put(name, switch (name) {
                    case "deleted_at" -> rs.getObject(i, OffsetDateTime.class);
                    case "deleted_local" -> rs.getObject(i, LocalDateTime.class);
                    default -> rs.getObject(i);
                });
            }
            return row;
        }
    }

    private static Long storedPosition(String no) throws Exception {
        return (Long) postgres.queryValue("SELECT source_position FROM dualsync.row_state WHERE row_key = '[\"" + no + "\"]'");
    }
}
