package io.dualsync.apply;

import io.dualsync.config.ConflictPolicy;
import io.dualsync.contract.Headers;
import java.util.Optional;

import io.dualsync.contract.CanonicalText;

import io.dualsync.contract.MappedColumns;
import io.dualsync.catalog.TableSchema;
import io.dualsync.config.DeletePolicy;
import io.dualsync.contract.MappedChange;
import io.dualsync.contract.Operation;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * How the apply behaves against a real target database, whatever the product: one subclass per
 * database ({@link PostgresBatchApplierTest}, {@link MariaDbBatchApplierTest}) supplies the server,
 * the table DDL and what differs in reading it back.
 */
abstract class AbstractBatchApplierTest {

    static final String WORKER = "apply-test-worker";
    static final Instant COMMIT_TIME = Instant.parse("2024-02-29T23:59:59.123456Z");

    /** The target database of this subclass, started once per class or JVM. */
    abstract TargetDatabase db();

    /**
     * Statements that (re)create {@code customer} in {@link TargetDatabase#schema()}: no (key), name
     * text NOT NULL, credit_limit decimal(38,10) CHECK >= 0, blocked boolean NOT NULL DEFAULT false,
     * deleted_at (timestamp with time zone), deleted_local (zone-less timestamp), and whatever the
     * database needs to tell whether a row was rewritten ({@link #rowVersion(String)}).
     */
    abstract List<String> createCustomerTable();

    /** The catalog entry matching {@link #createCustomerTable()}. */
    abstract TableSchema customerTable();

    /** Something that changes whenever the row is rewritten (PostgreSQL xmin, a MariaDB ON UPDATE column). */
    abstract Object rowVersion(String no) throws Exception;

    /** The SQLSTATE of a NOT NULL violation, and of a CHECK violation. */
    abstract String notNullViolation();

    abstract String checkViolation();

    /** The instant a timestamp-with-time-zone column holds. */
    abstract Instant instant(ResultSet rs, int column) throws Exception;

    MappedColumns mapped;
    Connection connection;

    @BeforeEach
    void freshTables() throws Exception {
        try (Connection c = db().connect()) {
            new Bookkeeping(db().dialect()).ensureCreated(c);
        }
        List<String> sql = new ArrayList<>(createCustomerTable());
        sql.add("DELETE FROM " + db().rowStateTable());
        sql.add("DELETE FROM " + db().checkpointTable());
        db().execute(sql.toArray(String[]::new));
        mapped = new MappedColumns("customers", customerTable(), List.of("no"), List.of("no", "name", "credit_limit"));
        connection = db().connect();
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
    void shouldTellInsertsUpdatesAndDeletesApartWithTheirLatencyFromSourceCommit() throws Exception {
        java.time.Clock targetCommit = java.time.Clock.fixed(COMMIT_TIME.plusMillis(250), ZoneOffset.UTC);
        BatchApplier applier = new BatchApplier(db().dialect(), mapped, DeletePolicy.DELETE, WORKER, ZoneOffset.UTC, targetCommit);

        ApplyResult inserted = applier.apply(connection, List.of(upsert("C-1", "Alice", "10", 100), upsert("C-2", "Bob", "1", 101)));
        ApplyResult updated = applier.apply(connection, List.of(upsert("C-1", "Alicia", "10", 200)));
        ApplyResult deleted = applier.apply(connection, List.of(delete("C-2", 300)));

        java.time.Duration latency = java.time.Duration.ofMillis(250);
        assertThat(inserted.written()).containsExactly(new ApplyResult.Written(io.dualsync.synclog.Outcome.INSERTED, latency),
                new ApplyResult.Written(io.dualsync.synclog.Outcome.INSERTED, latency));
        assertThat(updated.written()).containsExactly(new ApplyResult.Written(io.dualsync.synclog.Outcome.UPDATED, latency));
        assertThat(deleted.written()).containsExactly(new ApplyResult.Written(io.dualsync.synclog.Outcome.DELETED, latency));
    }

    @Test
    void shouldLeaveTheRowUntouchedWhenTheUpsertCarriesTheValuesItHolds() throws Exception {
        BatchApplier applier = applier(DeletePolicy.DELETE);
        applier.apply(connection, List.of(upsert("C-1", "Alice", "10", 100)));
        Object versionBefore = rowVersion("C-1");

        ApplyResult result = applier.apply(connection, List.of(upsert("C-1", "Alice", "10.0", 200)));

        assertThat(result.unchanged()).isEqualTo(1);
        assertThat(result.applied()).isZero();
        assertThat(rowVersion("C-1")).isEqualTo(versionBefore);
        assertThat(storedPosition("C-1")).isEqualTo(200L);
    }

    @Test
    void shouldDeleteTheRow() throws Exception {
        BatchApplier applier = applier(DeletePolicy.DELETE);
        applier.apply(connection, List.of(upsert("C-1", "Alice", "10", 100)));

        ApplyResult result = applier.apply(connection, List.of(delete("C-1", 200)));

        assertThat(result.applied()).isEqualTo(1);
        assertThat(db().count("SELECT count(*) FROM " + customer())).isZero();
        assertThat(storedPosition("C-1")).isEqualTo(200L);
        assertThat(db().queryValue("SELECT row_hash FROM " + db().rowStateTable())).isNull();
    }

    @Test
    void shouldNotResurrectADeletedRowWhenAnOlderUpsertIsRedelivered() throws Exception {
        BatchApplier applier = applier(DeletePolicy.DELETE);
        applier.apply(connection, List.of(upsert("C-1", "Alice", "10", 100)));
        applier.apply(connection, List.of(delete("C-1", 200)));

        ApplyResult redelivered = applier.apply(connection, List.of(upsert("C-1", "Alice", "10", 100)));

        assertThat(redelivered.duplicates()).isEqualTo(1);
        assertThat(db().count("SELECT count(*) FROM " + customer())).isZero();
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
        String hashBefore = (String) db().queryValue("SELECT row_hash FROM " + db().rowStateTable());

        ApplyResult result = applier.apply(connection, List.of(delete("C-1", 200)));

        assertThat(result.unchanged()).isEqualTo(1);
        assertThat(row("C-1")).containsEntry("name", "Alice");
        assertThat(storedPosition("C-1")).isEqualTo(200L);
        assertThat(db().queryValue("SELECT row_hash FROM " + db().rowStateTable())).isEqualTo(hashBefore);
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
    void shouldClearTheSoftDeleteMarkWhenTheRowIsWrittenAgain() throws Exception {
        BatchApplier flag = applier(new DeletePolicy(DeletePolicy.Kind.SOFT, Optional.of("blocked")));
        flag.apply(connection, List.of(upsert("C-1", "Alice", "10", 100)));
        flag.apply(connection, List.of(delete("C-1", 200)));

        // e.g. the source row came back into the map's scope (leavesScope: delete), or was created again
        ApplyResult again = flag.apply(connection, List.of(upsert("C-1", "Alice", "10", 300)));

        assertThat(again.applied()).isEqualTo(1);
        assertThat(row("C-1")).containsEntry("blocked", false).containsEntry("name", "Alice");
        BatchApplier time = applier(new DeletePolicy(DeletePolicy.Kind.SOFT, Optional.of("deleted_at")));
        time.apply(connection, List.of(delete("C-1", 400)));
        assertThat(row("C-1").get("deleted_at")).isEqualTo(COMMIT_TIME);
        time.apply(connection, List.of(upsert("C-1", "Alicia", "10", 500)));
        assertThat(row("C-1")).containsEntry("deleted_at", null).containsEntry("name", "Alicia");
    }

    @Test
    void shouldSoftDeleteBySettingATimestamptzColumnToTheCommitTime() throws Exception {
        BatchApplier applier = applier(new DeletePolicy(DeletePolicy.Kind.SOFT, Optional.of("deleted_at")));
        applier.apply(connection, List.of(upsert("C-1", "Alice", "10", 100)));

        applier.apply(connection, List.of(delete("C-1", 200)));

        assertThat(row("C-1").get("deleted_at")).isEqualTo(COMMIT_TIME);
    }

    @Test
    void shouldSoftDeleteBySettingAZonelessTimestampToTheCommitTimeInTheEndpointZone() throws Exception {
        ZoneId berlin = ZoneId.of("Europe/Berlin");
        BatchApplier applier = new BatchApplier(db().dialect(), mapped,
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
        db().execute("UPDATE " + customer() + " SET name = 'Local edit'");

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
        assertThat(db().count("SELECT count(*) FROM " + customer())).isEqualTo(1_000);
        assertThat(db().count("SELECT count(*) FROM " + db().rowStateTable())).isEqualTo(1_000);
        assertThat(db().queryValue("SELECT batches FROM " + db().checkpointTable())).isEqualTo(1L);
        assertThat(db().queryValue("SELECT last_source_position FROM " + db().checkpointTable())).isEqualTo(1_999L);
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
                .containsExactlyInAnyOrder(org.assertj.core.groups.Tuple.tuple(1, notNullViolation()),
                        org.assertj.core.groups.Tuple.tuple(2, checkViolation()));
        assertThat(result.failed()).allSatisfy(f -> {
            assertThat(f.attempts()).isEqualTo(2);
            assertThat(f.message()).isNotBlank();
            assertThat(f.errorClass()).isNotBlank();
            assertThat(f.lastFailure()).isAfterOrEqualTo(f.firstFailure());
        });
        assertThat(db().count("SELECT count(*) FROM " + customer())).isEqualTo(2);
        assertThat(db().count("SELECT count(*) FROM " + db().rowStateTable())).isEqualTo(2);
        // drivers quote the failing row ("Failing row contains (C-3, Carol, ...)"): the reason must not
        assertThat(result.failed()).allSatisfy(f -> assertThat(f.message()).doesNotContain("Carol", "C-2", "C-3"));
        assertThat(result.failed()).noneMatch(FailedChange::dependent);
    }

    @Test
    void shouldMarkAChangeWhoseParentRowIsMissingAsDependentAndApplyTheRest() throws Exception {
        String parent = db().schema() + ".known_no";
        db().execute("DROP TABLE IF EXISTS " + parent,
                "CREATE TABLE " + parent + " (no varchar(40) PRIMARY KEY)",
                "INSERT INTO " + parent + " VALUES ('C-1')",
                "ALTER TABLE " + customer() + " ADD CONSTRAINT customer_known_fk FOREIGN KEY (no) REFERENCES " + parent + " (no)");

        ApplyResult result = applier(DeletePolicy.DELETE).apply(connection, List.of(
                upsert("C-1", "Alice", "10", 100),
                upsert("C-2", "Bob", "20", 101)));   // its parent row is not there yet

        assertThat(result.applied()).isEqualTo(1);
        assertThat(result.failed()).singleElement().satisfies(f -> {
            assertThat(f.index()).isEqualTo(1);
            assertThat(f.dependent()).isTrue();
            assertThat(f.message()).doesNotContain("C-2").doesNotContain("Bob");
        });
        assertThat(db().count("SELECT count(*) FROM " + db().rowStateTable())).isEqualTo(1);

        db().execute("INSERT INTO " + parent + " VALUES ('C-2')");
        ApplyResult retried = applier(DeletePolicy.DELETE).apply(connection, List.of(upsert("C-2", "Bob", "20", 101)));

        assertThat(retried.applied()).isEqualTo(1);
        assertThat(row("C-2")).containsEntry("name", "Bob");
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
        assertThat(db().count("SELECT count(*) FROM " + customer())).isEqualTo(1);
    }

    @Test
    void shouldRefuseAChangeWithoutAKeyValueBeforeTouchingTheDatabase() throws Exception {
        Map<String, Object> key = new LinkedHashMap<>();
        key.put("no", null);
        MappedChange nullKey = new MappedChange(Operation.DELETE, "customers", customerTable().ref().qualifiedName(), "crm", 100, null,
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
        Object updatedBefore = db().queryValue("SELECT updated_at FROM " + db().checkpointTable());

        applier.apply(connection, List.of(upsert("C-1", "Alice", "10", 100)));  // a duplicate

        assertThat(db().queryValue("SELECT batches FROM " + db().checkpointTable() + " WHERE worker_id = '" + WORKER + "'"))
                .isEqualTo(2L);
        assertThat(db().queryValue("SELECT updated_at FROM " + db().checkpointTable())).isNotEqualTo(updatedBefore);
    }

    @Test
    void shouldRecordTheHashOfTheAppliedImage() throws Exception {
        applier(DeletePolicy.DELETE).apply(connection, List.of(upsert("C-1", "Alice", "10", 100)));

        Map<String, Object> image = new LinkedHashMap<>();
        image.put("no", "C-1");
        image.put("name", "Alice");
        image.put("credit_limit", new BigDecimal("10.0000000000")); // as the column's (38,10) stores it
        assertThat(db().queryValue("SELECT row_key FROM " + db().rowStateTable())).isEqualTo("[\"C-1\"]");
        assertThat(db().queryValue("SELECT row_hash FROM " + db().rowStateTable()))
                .isEqualTo(CanonicalText.rowHash(image))
                .asString().hasSize(64);
        assertThat(db().queryValue("SELECT source_endpoint FROM " + db().rowStateTable())).isEqualTo("crm");
    }

    @Test
    void shouldReportATransientFailureWhenTheConnectionIsLost() throws Exception {
        BatchApplier applier = applier(DeletePolicy.DELETE);
        connection.close();

        assertThatThrownBy(() -> applier.apply(connection, List.of(upsert("C-1", "Alice", "10", 100))))
                .isInstanceOf(TransientApplyException.class)
                .satisfies(e -> assertThat(((TransientApplyException) e).sqlState()).startsWith("08"));
        connection = db().connect();
        assertThat(db().count("SELECT count(*) FROM " + customer())).isZero();
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
        db().execute("UPDATE " + customer() + " SET name = 'Alice (local)' WHERE no = 'C-1'");

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
    void shouldOverwriteALocalChangeWhenAnOperatorReplaysTheConflictWithDecisionOverwrite() throws Exception {
        BatchApplier applier = applier(ConflictPolicy.FAIL);
        applier.apply(connection, List.of(upsert("C-1", "Alice", "10", 100)));
        db().execute("UPDATE " + customer() + " SET name = 'Alice (local)' WHERE no = 'C-1'");
        MappedChange incoming = upsert("C-1", "Alicia", "10", 200);
        assertThat(applier.apply(connection, List.of(incoming)).failed()).hasSize(1);

        ApplyResult replayed = applier.apply(connection, List.of(incoming), null, List.of(true));
        ApplyResult again = applier.apply(connection, List.of(incoming), null, List.of(true));

        assertThat(replayed.applied()).isEqualTo(1);
        assertThat(replayed.failed()).isEmpty();
        assertThat(row("C-1")).containsEntry("name", "Alicia");
        assertThat(again.duplicates()).isEqualTo(1);
    }

    @Test
    void shouldOverwriteALocalChangeWhenTheIncomingEndpointWins() throws Exception {
        BatchApplier applier = applier(new ConflictPolicy(ConflictPolicy.Kind.ENDPOINT_WINS, Optional.of("crm")));
        applier.apply(connection, List.of(upsert("C-1", "Alice", "10", 100)));
        db().execute("UPDATE " + customer() + " SET name = 'Alice (local)' WHERE no = 'C-1'");

        ApplyResult result = applier.apply(connection, List.of(upsert("C-1", "Alicia", "10", 200)));

        assertThat(result.applied()).isEqualTo(1);
        assertThat(row("C-1")).containsEntry("name", "Alicia");
    }

    @Test
    void shouldKeepTheLocalChangeWhenTheTargetEndpointWinsAndAcceptTheNextChangeAfterIt() throws Exception {
        BatchApplier applier = applier(new ConflictPolicy(ConflictPolicy.Kind.ENDPOINT_WINS, Optional.of("erp")));
        applier.apply(connection, List.of(upsert("C-1", "Alice", "10", 100)));
        db().execute("UPDATE " + customer() + " SET name = 'Alice (local)' WHERE no = 'C-1'");

        ApplyResult kept = applier.apply(connection, List.of(upsert("C-1", "Alicia", "10", 200)));
        ApplyResult later = applier.apply(connection, List.of(upsert("C-1", "Alice again", "10", 300)));

        assertThat(kept.applied()).isZero();
        assertThat(kept.failed()).isEmpty();
        assertThat(later.applied()).isEqualTo(1);
        assertThat(row("C-1")).containsEntry("name", "Alice again");
    }

    @Test
    void shouldDeadLetterAChangeToARowTheTargetHeldWithOtherValuesBeforeAnySync() throws Exception {
        BatchApplier applier = applier(ConflictPolicy.FAIL);
        db().execute("INSERT INTO " + customer() + " (no, name, credit_limit) VALUES ('C-9', 'Local', 10)");

        ApplyResult result = applier.apply(connection, List.of(upsert("C-9", "Incoming", "10", 100)));

        assertThat(result.failed()).singleElement().satisfies(f -> assertThat(f.errorClass()).isEqualTo(Headers.ERROR_CLASS_CONFLICT));
        assertThat(row("C-9")).containsEntry("name", "Local");
    }

    @Test
    void shouldCoupleARowTheTargetHeldWithTheSameValuesBeforeAnySync() throws Exception {
        BatchApplier applier = applier(ConflictPolicy.FAIL);
        db().execute("INSERT INTO " + customer() + " (no, name, credit_limit) VALUES ('C-9', 'Same', 10)");

        ApplyResult coupled = applier.apply(connection, List.of(upsert("C-9", "Same", "10", 100)));
        db().execute("UPDATE " + customer() + " SET name = 'Local' WHERE no = 'C-9'");
        ApplyResult conflict = applier.apply(connection, List.of(upsert("C-9", "Incoming", "10", 200)));

        assertThat(coupled.failed()).isEmpty();
        assertThat(conflict.failed()).singleElement().satisfies(f -> assertThat(f.errorClass()).isEqualTo(Headers.ERROR_CLASS_CONFLICT));
    }

    @Test
    void shouldLeaveALocalChangeTheEchoFilterHasNotArbitratedUnderLatestWinsAndApplyTheArbitratedChange() throws Exception {
        BatchApplier applier = applier(new ConflictPolicy(ConflictPolicy.Kind.LATEST_WINS, Optional.empty()));
        applier.apply(connection, List.of(upsert("C-1", "Alice", "10", 100)));
        db().execute("UPDATE " + customer() + " SET name = 'Alice (local)' WHERE no = 'C-1'");
        Map<String, Object> local = new LinkedHashMap<>();
        local.put("no", "C-1");
        local.put("name", "Alice (local)");
        local.put("credit_limit", new java.math.BigDecimal("10.0000000000"));
        String localHash = io.dualsync.contract.CanonicalText.rowHash(local);
        String syncedHash = io.dualsync.contract.CanonicalText.rowHash(Map.of("no", "C-1"));

        ApplyResult deferred = applier.apply(connection, List.of(upsert("C-1", "Alicia", "10", 200)), java.util.Collections.singletonList(syncedHash));
        assertThat(row("C-1")).containsEntry("name", "Alice (local)");
        ApplyResult decided = applier.apply(connection, List.of(upsert("C-1", "Alicia", "10", 200)), List.of(localHash));

        assertThat(deferred.applied()).isZero();
        assertThat(deferred.failed()).isEmpty();
        assertThat(decided.applied()).isEqualTo(1);
        assertThat(row("C-1")).containsEntry("name", "Alicia");
    }

    @Test
    void shouldAcceptTheImageAnOlderChangeOfTheRowWasSentAgainstWhenTheNewestSupersedesItInTheBatch() throws Exception {
        BatchApplier applier = applier(new ConflictPolicy(ConflictPolicy.Kind.LATEST_WINS, Optional.empty()));
        applier.apply(connection, List.of(upsert("C-1", "Alice", "10", 100)));

        // the filter sent Alicia against Alice and Alicia 2 against Alicia; the batch keeps only Alicia 2
        ApplyResult result = applier.apply(connection, List.of(upsert("C-1", "Alicia", "10", 200), upsert("C-1", "Alicia 2", "10", 300)),
                List.of(image("C-1", "Alice"), image("C-1", "Alicia")));

        assertThat(result.applied()).isEqualTo(1);
        assertThat(row("C-1")).containsEntry("name", "Alicia 2");
    }

    @Test
    void shouldCreateANewRowWhenItsInsertAndAnUpdateSentAgainstTheInsertArriveInOneBatch() throws Exception {
        BatchApplier applier = applier(ConflictPolicy.FAIL);

        // the filter sent the insert against no known image (no header) and the update against the
        // insert's image; the batch keeps only the update, and the row is not there yet (crash harness)
        ApplyResult result = applier.apply(connection, List.of(upsert("C-1", "Alice", "10", 100), upsert("C-1", "Alicia", "10", 200)),
                java.util.Arrays.asList(null, image("C-1", "Alice")));

        assertThat(result.failed()).isEmpty();
        assertThat(result.applied()).isEqualTo(1);
        assertThat(row("C-1")).containsEntry("name", "Alicia");
    }

    private static String image(String no, String name) {
        Map<String, Object> image = new LinkedHashMap<>();
        image.put("no", no);
        image.put("name", name);
        image.put("credit_limit", new java.math.BigDecimal("10.0000000000"));
        return io.dualsync.contract.CanonicalText.rowHash(image);
    }

    @Test
    void shouldUpdateTheRowWhoseKeyMatchesIgnoringCaseAndSpacesAndKeepItsKey() throws Exception {
        db().execute("INSERT INTO " + customer() + " (no, name, credit_limit) VALUES ('C-ab ', 'Old', 1)");
        BatchApplier applier = applier(io.dualsync.config.KeyMatching.IGNORE_CASE_TRIM);

        ApplyResult result = applier.apply(connection, List.of(upsert("c-AB", "New", "2", 100)));

        assertThat(result.applied()).isEqualTo(1);
        assertThat(db().count("SELECT count(*) FROM " + customer())).isEqualTo(1);
        assertThat(row("C-ab ")).containsEntry("no", "C-ab ").containsEntry("name", "New");
        assertThat(storedPosition("C-ab ")).isEqualTo(100L);
    }

    @Test
    void shouldDeleteTheRowWhoseKeyMatchesIgnoringCase() throws Exception {
        db().execute("INSERT INTO " + customer() + " (no, name, credit_limit) VALUES ('C-AB', 'Old', 1)");

        ApplyResult result = applier(io.dualsync.config.KeyMatching.IGNORE_CASE).apply(connection, List.of(delete("c-ab", 100)));

        assertThat(result.applied()).isEqualTo(1);
        assertThat(db().count("SELECT count(*) FROM " + customer())).isZero();
    }

    @Test
    void shouldInsertARowThatNoKeyMatchesUnderItsOwnSpelling() throws Exception {
        db().execute("INSERT INTO " + customer() + " (no, name, credit_limit) VALUES ('C-1', 'Other', 1)");

        applier(io.dualsync.config.KeyMatching.IGNORE_CASE_TRIM).apply(connection, List.of(upsert(" C-Two", "New", "2", 100)));

        assertThat(row(" C-Two")).containsEntry("name", "New");
        assertThat(row("C-1")).containsEntry("name", "Other");
    }

    @Test
    void shouldSetOnInsertValuesOnlyOnARowItCreatesAndNeverOverwriteThemOnUpdate() throws Exception {
        db().execute("INSERT INTO " + customer() + " (no, name, credit_limit) VALUES ('C-0', 'There before', 1)");
        io.dualsync.catalog.Column blocked = customerTable().requireColumn("blocked");
        io.dualsync.catalog.Column since = customerTable().requireColumn("deleted_local");
        io.dualsync.contract.InsertValues onInsert = new io.dualsync.contract.InsertValues(List.of(blocked, since),
                List.of(io.dualsync.contract.InsertValues.value(blocked, "true"),
                        io.dualsync.contract.InsertValues.value(since, "2026-11-30T15:04:05.123456")));
        BatchApplier applier = new BatchApplier(db().dialect(), mapped, DeletePolicy.DELETE, null, Optional.empty(),
                io.dualsync.config.KeyMatching.EXACT, onInsert, WORKER, ZoneOffset.UTC);

        applier.apply(connection, List.of(upsert("C-1", "Alice", "10", 100), upsert("C-0", "Updated", "1", 101)));
        assertThat(row("C-1")).containsEntry("blocked", true)
                .containsEntry("deleted_local", LocalDateTime.parse("2026-11-30T15:04:05.123456"));
        // a row the sync did not create is updated, never given the values set on create
        assertThat(row("C-0")).containsEntry("name", "Updated").containsEntry("blocked", false).containsEntry("deleted_local", null);

        db().execute("UPDATE " + customer() + " SET blocked = false WHERE no = 'C-1'");
        ApplyResult updated = applier.apply(connection, List.of(upsert("C-1", "Alicia", "20", 200)));

        assertThat(updated.applied()).isEqualTo(1);
        assertThat(row("C-1")).containsEntry("name", "Alicia").containsEntry("blocked", false)
                .containsEntry("deleted_local", LocalDateTime.parse("2026-11-30T15:04:05.123456"));
    }

    @Test
    void shouldRefuseAKeyThatIsNotUniqueInTheTarget() {
        MappedColumns byName = new MappedColumns("customers", customerTable(), List.of("name"), List.of("no", "name"));

        assertThatThrownBy(() -> new BatchApplier(db().dialect(), byName, DeletePolicy.DELETE, WORKER, ZoneOffset.UTC))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("is not the primary key or a unique index");
    }

    BatchApplier applier(io.dualsync.config.KeyMatching keyMatching) {
        return new BatchApplier(db().dialect(), mapped, DeletePolicy.DELETE, null, Optional.empty(), keyMatching, WORKER,
                ZoneOffset.UTC);
    }

    BatchApplier applier(ConflictPolicy conflicts) {
        return new BatchApplier(db().dialect(), mapped, DeletePolicy.DELETE, conflicts, WORKER, ZoneOffset.UTC);
    }

    String customer() {
        return db().dialect().table(customerTable().ref());
    }

    BatchApplier applier(DeletePolicy deletes) {
        return new BatchApplier(db().dialect(), mapped, deletes, WORKER, ZoneOffset.UTC);
    }

    MappedChange upsert(String no, String name, String creditLimit, long position) {
        Map<String, Object> columns = new LinkedHashMap<>();
        columns.put("no", no);
        columns.put("name", name);
        columns.put("credit_limit", new BigDecimal(creditLimit));
        return new MappedChange(Operation.UPSERT, "customers", customerTable().ref().qualifiedName(), "crm", position, "tx" + position,
                COMMIT_TIME, null, Map.of("no", no), columns);
    }

    MappedChange delete(String no, long position) {
        return new MappedChange(Operation.DELETE, "customers", customerTable().ref().qualifiedName(), "crm", position, "tx" + position,
                COMMIT_TIME, null, Map.of("no", no), Map.of());
    }

    Map<String, Object> row(String no) throws Exception {
        try (Connection c = db().connect(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT * FROM " + customer() + " WHERE no = '" + no + "'")) {
            assertThat(rs.next()).as("row %s exists", no).isTrue();
            Map<String, Object> row = new LinkedHashMap<>();
            for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
                String name = rs.getMetaData().getColumnName(i);
                row.put(name, switch (name) {
                    case "deleted_at" -> rs.getObject(i) == null ? null : instant(rs, i);
                    case "deleted_local" -> rs.getObject(i, LocalDateTime.class);
                    default -> rs.getObject(i);
                });
            }
            return row;
        }
    }

    Long storedPosition(String no) throws Exception {
        return (Long) db().queryValue("SELECT source_position FROM " + db().rowStateTable() + " WHERE row_key = '[\"" + no + "\"]'");
    }
}
