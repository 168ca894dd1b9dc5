package io.dualsync.transform;

import io.dualsync.config.ConflictPolicy;
import io.dualsync.config.Direction;
import io.dualsync.config.RowFilter;
import io.dualsync.contract.Headers;
import io.dualsync.contract.Operation;
import io.dualsync.contract.Topics;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.streams.TopologyDescription;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDateTime;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import static io.dualsync.transform.Fixture.ACCOUNT;
import static io.dualsync.transform.Fixture.CONTACT;
import static io.dualsync.transform.Fixture.CUSTOMER;
import static io.dualsync.transform.Rows.row;
import static io.dualsync.transform.Rows.with;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The mapping topology driven through {@link org.apache.kafka.streams.TopologyTestDriver} with
 * the design's CRM account / ERP customer map: what a change on one side puts on the mapped
 * topic of the other, and what goes to the dead-letter topic.
 */
class MappingTopologyTest {

    @TempDir
    Path stateDir;

    private TransformHarness harness;

    private TransformHarness start(Fixture fixture) {
        harness = new TransformHarness(fixture, stateDir);
        return harness;
    }

    @AfterEach
    void close() {
        if (harness != null) {
            harness.close();
        }
    }

    static Map<String, Object> account(long id, String number) {
        return row("id", id, "account_number", number, "name", "Ann Smith",
                "credit_limit", new BigDecimal("1234.5600000000"), "status", "active",
                "relationship_type", "customer", "company_id", "CRONUS-US", "segment", "wholesale",
                "created_at", LocalDateTime.parse("2024-03-01T12:00:00"), "notes", "called on Monday");
    }

    static Map<String, Object> customer(String no) {
        return row("no", no, "customer_name", "Bob Jones", "credit_limit", new BigDecimal("99.5000000000"),
                "blocked", "all", "company_code", "CRONUS-US", "country", "DE", "segment", "retail",
                "created", Instant.parse("2024-03-01T11:00:00Z"), "internal_note", "vip");
    }

    // ---- field maps and transforms

    @Test
    void shouldWriteEveryMappedColumnUnderItsTargetNameInTargetTableOrder() {
        var h = start(Fixture.customers());
        h.send(h.events(ACCOUNT).insert(account(1, "1001")));

        List<TransformHarness.Mapped> out = h.mapped("customers", CUSTOMER);

        assertThat(out).hasSize(1);
        assertThat(out.get(0).op()).isEqualTo(Operation.UPSERT);
        assertThat(out.get(0).columns()).containsExactly(
                Map.entry("no", "C-1001"),
                Map.entry("customer_name", "Ann Smith"),
                Map.entry("credit_limit", new BigDecimal("1234.5600000000")),
                Map.entry("blocked", ""),
                Map.entry("company_code", "CRONUS-US"),
                Map.entry("country", "US"),
                Map.entry("segment", "wholesale"),
                // 12:00 in Berlin (CET, +01:00) on the CRM side is 11:00 UTC
                Map.entry("created", Instant.parse("2024-03-01T11:00:00Z")));
    }

    @Test
    void shouldKeyTheMappedRecordByTheTargetKey() {
        var h = start(Fixture.customers());
        h.send(h.events(ACCOUNT).insert(account(1, "1001")));

        TransformHarness.Mapped out = h.mapped("customers", CUSTOMER).get(0);

        assertThat(out.recordKey()).containsExactly(Map.entry("no", "C-1001"));
        assertThat(out.change().key()).containsExactly(Map.entry("no", "C-1001"));
    }

    @Test
    void shouldCarryTheSourceEndpointPositionTransactionCommitTimeAndCompany() {
        var h = start(Fixture.customers());
        DebeziumEvents accounts = h.events(ACCOUNT);
        long lsn = accounts.nextLsn();
        long txId = accounts.nextTxId();
        h.send(accounts.insert(account(1, "1001")));

        var change = h.mapped("customers", CUSTOMER).get(0).change();

        assertThat(change.map()).isEqualTo("customers");
        assertThat(change.targetTable()).isEqualTo("erp.customer");
        assertThat(change.sourceEndpoint()).isEqualTo("crm");
        assertThat(change.sourcePosition()).isEqualTo(lsn);
        assertThat(change.sourceTxId()).isEqualTo(Long.toString(txId));
        assertThat(change.sourceCommitTime()).isEqualTo(DebeziumEvents.COMMIT_TIME);
        assertThat(change.companyId()).isNull();
    }

    @Test
    void shouldMapValuesAsWrittenGoingAToBAndInverselyGoingBToA() {
        var h = start(Fixture.customers());
        h.send(h.events(ACCOUNT).insert(with(account(1, "1001"), "status", "inactive")));
        h.send(h.events(CUSTOMER).insert(with(customer("C-2002"), "blocked", "")));

        assertThat(h.mapped("customers", CUSTOMER).get(0).columns()).containsEntry("blocked", "all");
        assertThat(h.mapped("customers", ACCOUNT).get(0).columns()).containsEntry("status", "active");
    }

    @Test
    void shouldAddThePrefixTowardBAndStripItTowardA() {
        var h = start(Fixture.customers());
        h.send(h.events(ACCOUNT).insert(account(1, "1001")));
        h.send(h.events(CUSTOMER).insert(customer("C-2002")));

        assertThat(h.mapped("customers", CUSTOMER).get(0).change().key()).containsEntry("no", "C-1001");
        TransformHarness.Mapped towardA = h.mapped("customers", ACCOUNT).get(0);
        assertThat(towardA.change().key()).containsExactly(Map.entry("account_number", "2002"));
        assertThat(towardA.columns()).containsEntry("account_number", "2002");
    }

    @Test
    void shouldReplaceTheValueWithTheConstant() {
        var h = start(Fixture.customers());
        h.send(h.events(ACCOUNT).insert(account(1, "1001")));

        assertThat(h.mapped("customers", CUSTOMER).get(0).columns()).containsEntry("country", "US");
    }

    @Test
    void shouldReplaceNullWithTheDefaultButKeepAValue() {
        var h = start(Fixture.customers());
        DebeziumEvents accounts = h.events(ACCOUNT);
        h.send(accounts.insert(with(account(1, "1001"), "segment", null)),
                accounts.insert(with(account(2, "1002"), "segment", "public")));

        List<TransformHarness.Mapped> out = h.mapped("customers", CUSTOMER);
        assertThat(out.get(0).columns()).containsEntry("segment", "retail");
        assertThat(out.get(1).columns()).containsEntry("segment", "public");
    }

    @Test
    void shouldNotApplyATransformMeantForTheOtherDirection() {
        var h = start(Fixture.customers());
        h.send(h.events(CUSTOMER).insert(with(customer("C-2002"), "segment", null)));

        // the default 'retail' applies toward B only; country has no column on A at all
        Map<String, Object> towardA = h.mapped("customers", ACCOUNT).get(0).columns();
        assertThat(towardA).containsEntry("segment", null).doesNotContainKey("country");
    }

    @Test
    void shouldKeepEveryDigitOfADecimal38_10() {
        var h = start(Fixture.customers());
        BigDecimal big = new BigDecimal("1234567890123456789012345678.0123456789");
        h.send(h.events(ACCOUNT).insert(with(account(1, "1001"), "credit_limit", big)));

        BigDecimal out = (BigDecimal) h.mapped("customers", CUSTOMER).get(0).columns().get("credit_limit");
        assertThat(out.toPlainString()).isEqualTo("1234567890123456789012345678.0123456789");
    }

    @Test
    void shouldConvertAnInstantToTheTargetEndpointsZoneLessTimestamp() {
        var h = start(Fixture.customers());
        h.send(h.events(CUSTOMER).insert(with(customer("C-2002"), "created", Instant.parse("2024-07-01T10:00:00.123456Z"))));

        // CRM timestamps are meant in Berlin: CEST, +02:00, in July
        assertThat(h.mapped("customers", ACCOUNT).get(0).columns())
                .containsEntry("created_at", LocalDateTime.parse("2024-07-01T12:00:00.123456"));
    }

    // ---- failures

    @Test
    void shouldSendAValueMissingFromTheValueMapToTheDeadLetterTopicAndContinue() {
        var h = start(Fixture.customers());
        DebeziumEvents accounts = h.events(ACCOUNT);
        DebeziumEvents.RawEvent bad = accounts.insert(with(account(1, "1001"), "status", "prospect"));
        DebeziumEvents.RawEvent good = accounts.insert(account(2, "1002"));
        h.send(bad, good);

        List<TestRecord<byte[], byte[]>> dead = h.deadLetters("erp");
        assertThat(dead).hasSize(1);
        TestRecord<byte[], byte[]> letter = dead.get(0);
        assertThat(letter.key()).isEqualTo(bad.record().key());
        assertThat(letter.value()).isEqualTo(bad.record().value());
        assertThat(header(letter, Headers.ERROR_CLASS)).isEqualTo(Headers.ERROR_CLASS_PERMANENT);
        assertThat(header(letter, Headers.ERROR_EXCEPTION)).isEqualTo(MappingException.class.getName());
        assertThat(header(letter, Headers.ERROR_MESSAGE)).contains("blocked").contains("value map").doesNotContain("prospect");
        assertThat(header(letter, Headers.STAGE)).isEqualTo("transform");
        assertThat(header(letter, Headers.ATTEMPTS)).isEqualTo("1");
        assertThat(header(letter, Headers.FIRST_FAILURE)).isEqualTo(TransformHarness.WALL_CLOCK.toString());
        assertThat(header(letter, Headers.LAST_FAILURE)).isEqualTo(TransformHarness.WALL_CLOCK.toString());
        assertThat(header(letter, Headers.ORIGINAL_TOPIC)).isEqualTo(Topics.raw(ACCOUNT));
        assertThat(header(letter, Headers.ORIGINAL_PARTITION)).isEqualTo("0");
        assertThat(header(letter, Headers.ORIGINAL_OFFSET)).isEqualTo("0");
        assertThat(header(letter, Headers.MAP)).isEqualTo("customers");
        assertThat(header(letter, Headers.ORIGIN)).isEqualTo("app");

        List<TransformHarness.Mapped> out = h.mapped("customers", CUSTOMER);
        assertThat(out).extracting(m -> m.change().key().get("no")).containsExactly("C-1002");
    }

    @Test
    void shouldSendADecimalWithTooManyDigitsToTheDeadLetterTopic() {
        var h = start(Fixture.customers());
        h.send(h.events(ACCOUNT).insert(with(account(1, "1001"), "credit_limit", new BigDecimal("0.00000000001"))));

        assertThat(h.mapped("customers", CUSTOMER)).isEmpty();
        assertThat(header(h.deadLetters("erp").get(0), Headers.ERROR_MESSAGE))
                .contains("credit_limit").contains("without rounding");
    }

    @Test
    void shouldSendAValueWithoutTheOtherSidesPrefixToTheDeadLetterTopic() {
        var h = start(Fixture.customers());
        h.send(h.events(CUSTOMER).insert(customer("X-7")));

        assertThat(h.mapped("customers", ACCOUNT)).isEmpty();
        assertThat(header(h.deadLetters("crm").get(0), Headers.ERROR_MESSAGE))
                .contains("account_number").contains("prefix 'C-'").doesNotContain("X-7");
    }

    @Test
    void shouldSendUnreadableBytesToTheDeadLetterTopicUnchanged() {
        var h = start(Fixture.customers());
        DebeziumEvents accounts = h.events(ACCOUNT);
        byte[] garbage = {1, 2, 3};
        h.send(accounts.withValue(accounts.insert(account(1, "1001")), garbage), accounts.insert(account(2, "1002")));

        TestRecord<byte[], byte[]> letter = h.deadLetters("erp").get(0);
        assertThat(letter.value()).isEqualTo(garbage);
        assertThat(header(letter, Headers.ERROR_CLASS)).isEqualTo(Headers.ERROR_CLASS_UNDECODABLE);
        assertThat(header(letter, Headers.ERROR_EXCEPTION)).isEqualTo("org.apache.kafka.common.errors.SerializationException");
        assertThat(h.mapped("customers", CUSTOMER)).hasSize(1);
    }

    // ---- scope

    @Test
    void shouldPropagateOnlyRowsMatchingTheSourceSidesFilter() {
        var h = start(Fixture.customers().withFilters(Fixture.equals("relationship_type", "customer"), RowFilter.ALL));
        DebeziumEvents accounts = h.events(ACCOUNT);
        h.send(accounts.insert(account(1, "1001")),
                accounts.insert(with(account(2, "1002"), "relationship_type", "vendor")));

        assertThat(h.mapped("customers", CUSTOMER)).extracting(m -> m.change().key().get("no")).containsExactly("C-1001");
    }

    @Test
    void shouldNotApplyTheTargetSidesFilter() {
        // B's filter says blocked = '', but a change from A to a blocked customer still reaches it
        var h = start(Fixture.customers().withFilters(RowFilter.ALL, Fixture.equals("blocked", "")));
        h.send(h.events(ACCOUNT).insert(with(account(1, "1001"), "status", "inactive")));

        assertThat(h.mapped("customers", CUSTOMER)).hasSize(1);
    }

    @Test
    void shouldPropagateOnlyRowsOfIncludedCompanies() {
        var h = start(Fixture.customers().withCompanies("CRONUS-US", "CRONUS-CA"));
        DebeziumEvents accounts = h.events(ACCOUNT);
        h.send(accounts.insert(account(1, "1001")),
                accounts.insert(with(account(2, "1002"), "company_id", "CRONUS-DE")),
                accounts.insert(with(account(3, "1003"), "company_id", "CRONUS-CA")),
                accounts.insert(with(account(4, "1004"), "company_id", null)));

        List<TransformHarness.Mapped> out = h.mapped("customers", CUSTOMER);
        assertThat(out).extracting(m -> m.change().key().get("no")).containsExactly("C-1001", "C-1003");
        assertThat(out).extracting(m -> m.change().companyId()).containsExactly("CRONUS-US", "CRONUS-CA");
    }

    @Test
    void shouldPropagateNothingWhenARowLeavesScopeAndItsFullImageWhenItComesBack() {
        var h = start(Fixture.customers().withFilters(Fixture.equals("relationship_type", "customer"), RowFilter.ALL));
        DebeziumEvents accounts = h.events(ACCOUNT);
        Map<String, Object> customer = account(1, "1001");
        Map<String, Object> vendor = with(customer, "relationship_type", "vendor", "name", "Ann Vendor");
        Map<String, Object> back = with(customer, "name", "Ann Vendor");
        h.send(accounts.insert(customer));
        h.mapped("customers", CUSTOMER);

        h.send(accounts.update(customer, vendor));
        assertThat(h.mapped("customers", CUSTOMER)).isEmpty();

        h.send(accounts.update(vendor, back));
        List<TransformHarness.Mapped> out = h.mapped("customers", CUSTOMER);
        assertThat(out).hasSize(1);
        assertThat(out.get(0).columns()).containsEntry("customer_name", "Ann Vendor").hasSize(8);
    }

    @Test
    void shouldSendTheFullImageOfARowBackInScopeEvenWhenOnlyItsFilterColumnChanged() {
        // one-way: nothing tells transform what the target holds, so a row back in scope is sent whole
        var h = start(Fixture.customers().withDirection(Direction.A_TO_B)
                .withFilters(Fixture.equals("relationship_type", "customer"), RowFilter.ALL));
        DebeziumEvents accounts = h.events(ACCOUNT);
        Map<String, Object> customer = account(1, "1001");
        Map<String, Object> vendor = with(customer, "relationship_type", "vendor");
        h.send(accounts.insert(customer));
        Map<String, Object> first = h.mapped("customers", CUSTOMER).get(0).columns();

        h.send(accounts.update(customer, vendor));
        assertThat(h.mapped("customers", CUSTOMER)).as("a row leaving scope changes nothing on the target (keep)").isEmpty();
        h.send(accounts.update(vendor, customer));

        List<TransformHarness.Mapped> back = h.mapped("customers", CUSTOMER);
        assertThat(back).singleElement().satisfies(m -> {
            assertThat(m.op()).isEqualTo(Operation.UPSERT);
            assertThat(m.columns()).containsExactlyEntriesOf(first);
        });
        h.send(accounts.update(customer, with(customer, "notes", "unmapped")));
        assertThat(h.mapped("customers", CUSTOMER)).as("in scope again: unchanged images are suppressed again").isEmpty();
    }

    @Test
    void shouldDeleteTheCoupledRowWhenARowLeavesScopeUnderLeavesScopeDeleteAndRecreateItWhenItComesBack() {
        var h = start(Fixture.customers().withDirection(Direction.A_TO_B)
                .withFilters(Fixture.equals("relationship_type", "customer"), RowFilter.ALL)
                .withLeavesScope(io.dualsync.config.LeavesScope.DELETE));
        DebeziumEvents accounts = h.events(ACCOUNT);
        Map<String, Object> customer = account(1, "1001");
        Map<String, Object> vendor = with(customer, "relationship_type", "vendor");
        Map<String, Object> renamed = with(vendor, "name", "Ann Vendor");
        Map<String, Object> back = with(renamed, "relationship_type", "customer");
        h.send(accounts.insert(customer));
        h.mapped("customers", CUSTOMER);

        h.send(accounts.update(customer, vendor));
        assertThat(h.mapped("customers", CUSTOMER)).singleElement().satisfies(m -> {
            assertThat(m.op()).isEqualTo(Operation.DELETE);
            assertThat(m.change().key()).containsExactly(Map.entry("no", "C-1001"));
        });
        h.send(accounts.update(vendor, renamed));
        assertThat(h.mapped("customers", CUSTOMER)).as("out of scope and already deleted there").isEmpty();

        h.send(accounts.update(renamed, back));
        assertThat(h.mapped("customers", CUSTOMER)).singleElement().satisfies(m -> {
            assertThat(m.op()).isEqualTo(Operation.UPSERT);
            assertThat(m.columns()).containsEntry("customer_name", "Ann Vendor").hasSize(8);
        });
        h.send(accounts.update(back, with(back, "relationship_type", "vendor")), accounts.delete(back));
        assertThat(h.mapped("customers", CUSTOMER)).as("one delete when it leaves; none when the row is then deleted")
                .extracting(TransformHarness.Mapped::op).containsExactly(Operation.DELETE);
    }

    @Test
    void shouldDeleteTheCoupledRowOfABidirectionalMapThroughItsEchoFilterWhenARowLeavesScope() {
        var h = start(Fixture.customers().withFilters(Fixture.equals("relationship_type", "customer"), RowFilter.ALL)
                .withLeavesScope(io.dualsync.config.LeavesScope.DELETE));
        DebeziumEvents accounts = h.events(ACCOUNT);
        Map<String, Object> customer = account(1, "1001");
        h.send(accounts.insert(customer));
        h.mapped("customers", CUSTOMER);

        h.send(accounts.update(customer, with(customer, "relationship_type", "vendor")));

        assertThat(h.mapped("customers", CUSTOMER)).extracting(TransformHarness.Mapped::op).containsExactly(Operation.DELETE);
    }

    @Test
    void shouldKeepTheCoupledRowLinkedWhenAChangeDualsyncMadeMovesARowOutOfScope() {
        // a sync write is never propagated, so it deletes nothing even under leavesScope: delete; the row
        // stays coupled, and the source row's later delete still reaches the target
        var h = start(Fixture.customers().withFilters(Fixture.equals("relationship_type", "customer"), RowFilter.ALL)
                .withLeavesScope(io.dualsync.config.LeavesScope.DELETE));
        DebeziumEvents accounts = h.events(ACCOUNT);
        Map<String, Object> customer = account(1, "1001");
        Map<String, Object> vendor = with(customer, "relationship_type", "vendor");
        h.send(accounts.insert(customer));
        h.mapped("customers", CUSTOMER);

        h.send(accounts.update(customer, vendor).madeBySync());
        assertThat(h.mapped("customers", CUSTOMER)).isEmpty();
        h.send(accounts.delete(vendor));

        assertThat(h.mapped("customers", CUSTOMER)).singleElement().satisfies(m -> {
            assertThat(m.op()).isEqualTo(Operation.DELETE);
            assertThat(m.change().key()).containsExactly(Map.entry("no", "C-1001"));
        });
    }

    // ---- operations

    @Test
    void shouldDeadLetterAPreGregorianTimestampFromTheSnapshotButMapItWhenStreamed() {
        var h = start(Fixture.customers());
        Map<String, Object> old = new java.util.HashMap<>(account(1, "1001"));
        old.put("created_at", LocalDateTime.parse("1500-06-01T12:00:00"));

        h.send(h.events(ACCOUNT).snapshot(old));
        assertThat(h.mapped("customers", CUSTOMER)).isEmpty();
        assertThat(header(h.deadLetters("erp").get(0), Headers.ERROR_MESSAGE))
                .contains("created_at").contains("1582-10-15").doesNotContain("1500");

        h.send(h.events(ACCOUNT).insert(old));
        assertThat(h.mapped("customers", CUSTOMER)).hasSize(1);
    }

    @Test
    void shouldMapSnapshotReadsLikeInserts() {
        var h = start(Fixture.customers());
        h.send(h.events(ACCOUNT).snapshot(account(1, "1001")));

        List<TransformHarness.Mapped> out = h.mapped("customers", CUSTOMER);
        assertThat(out).hasSize(1);
        assertThat(out.get(0).op()).isEqualTo(Operation.UPSERT);
    }

    @Test
    void shouldSendAResyncReadEvenWhenTheFlowSentTheSameImageBefore() {
        var h = start(Fixture.customers());
        DebeziumEvents accounts = h.events(ACCOUNT);
        h.send(accounts.insert(account(1, "1001")));
        h.mapped("customers", CUSTOMER);
        h.send(accounts.snapshot(account(1, "1001")));
        assertThat(h.mapped("customers", CUSTOMER)).as("a plain snapshot read of an unchanged row").isEmpty();

        long lsn = accounts.nextLsn();
        h.send(accounts.resyncRead(account(1, "1001")));

        List<TransformHarness.Mapped> out = h.mapped("customers", CUSTOMER);
        assertThat(out).hasSize(1);
        assertThat(out.get(0).op()).isEqualTo(Operation.UPSERT);
        assertThat(out.get(0).change().sourcePosition()).isEqualTo(lsn);
    }

    @Test
    void shouldNotSendAResyncReadOfARowTheOtherSidesChangeIsStillOnItsWayTo() {
        var h = start(Fixture.customers());
        h.send(h.events(ACCOUNT).insert(account(1, "1001")));
        h.mapped("customers", CUSTOMER);
        // ERP's user changes the coupled row; the change is on its way to the CRM
        h.send(h.events(CUSTOMER).insert(with(customer("C-1001"), "customer_name", "Changed in ERP", "blocked", "")));
        assertThat(h.mapped("customers", ACCOUNT)).hasSize(1);

        h.send(h.events(ACCOUNT).resyncRead(account(1, "1001")));

        assertThat(h.mapped("customers", CUSTOMER)).isEmpty();
    }

    /**
     * Capture killed before its first offset commit snapshots its tables again, and then reads
     * rows dualsync wrote since: here the ERP row the CRM's first version made, read while the
     * CRM's next change is still on its way to it. Sent back, that stale read would overwrite
     * the CRM's newer row (found by the crash harness).
     */
    @Test
    void shouldNotSendASnapshotReadOfARowALiveChangeOfTheOtherSideIsStillOnItsWayTo() {
        var h = start(Fixture.customers());
        DebeziumEvents accounts = h.events(ACCOUNT);
        DebeziumEvents customers = h.events(CUSTOMER);
        Map<String, Object> ann = account(1, "1001");
        Map<String, Object> inErp = synced(h, accounts, customers, ann);
        h.send(accounts.update(ann, with(ann, "name", "Renamed in the CRM")));
        assertThat(h.mapped("customers", CUSTOMER)).hasSize(1);

        h.send(customers.snapshot(inErp));

        assertThat(h.mapped("customers", ACCOUNT)).isEmpty();
        assertThat(h.suppressed("customers", "stale-read")).isEqualTo(1.0);
    }

    @Test
    void shouldNotSendASnapshotReadOfARowTheOtherSidesSnapshotReadIsOnItsWayToOnceTheRowWasSynced() {
        var h = start(Fixture.customers());
        DebeziumEvents accounts = h.events(ACCOUNT);
        DebeziumEvents customers = h.events(CUSTOMER);
        Map<String, Object> ann = account(1, "1001");
        Map<String, Object> inErp = synced(h, accounts, customers, ann);
        // both sides snapshotted again: the CRM's read shows a change made while capture was down
        h.send(accounts.snapshot(with(ann, "name", "Renamed while capture was down")));
        assertThat(h.mapped("customers", CUSTOMER)).hasSize(1);

        h.send(customers.snapshot(inErp));

        assertThat(h.mapped("customers", ACCOUNT)).isEmpty();
        assertThat(h.suppressed("customers", "stale-read")).isEqualTo(1.0);
    }

    /**
     * A snapshot taken again after capture lost its position shows the change dualsync wrote while
     * capture was down; no marked write of it will come, so the read confirms it. Otherwise the change
     * would stay "on its way" for good, and under erp-wins the CRM's next change would lose to it.
     */
    @Test
    void shouldTakeASnapshotReadOfTheChangeOnItsWayAsItsConfirmation() {
        var h = start(Fixture.customers().withConflicts(new ConflictPolicy(ConflictPolicy.Kind.ENDPOINT_WINS, Optional.of("erp"))));
        DebeziumEvents accounts = h.events(ACCOUNT);
        DebeziumEvents customers = h.events(CUSTOMER);
        Map<String, Object> ann = account(1, "1001");
        Map<String, Object> inErp = synced(h, accounts, customers, ann);
        Map<String, Object> erpRename = with(inErp, "customer_name", "Renamed in the ERP");
        h.send(customers.update(inErp, erpRename));
        Map<String, Object> inCrm = with(ann, "name", "Renamed in the ERP");
        assertThat(h.mapped("customers", ACCOUNT)).hasSize(1);

        h.send(accounts.snapshot(inCrm));
        h.send(accounts.update(inCrm, with(ann, "name", "Renamed in the CRM later")));

        assertThat(h.mapped("customers", CUSTOMER)).extracting(m -> m.change().columns().get("customer_name"))
                .containsExactly("Renamed in the CRM later");
        assertThat(h.mapped("customers", ACCOUNT)).isEmpty();
    }

    @Test
    void shouldStillSendASnapshotReadThatDiffersFromAConfirmedImage() {
        var h = start(Fixture.customers());
        DebeziumEvents accounts = h.events(ACCOUNT);
        DebeziumEvents customers = h.events(CUSTOMER);
        Map<String, Object> inErp = synced(h, accounts, customers, account(1, "1001"));

        // nothing on its way to the ERP: a row that differs from the synced image was changed there
        h.send(customers.snapshot(with(inErp, "customer_name", "Changed in ERP while capture was down")));

        assertThat(h.mapped("customers", ACCOUNT)).extracting(m -> m.columns().get("name"))
                .containsExactly("Changed in ERP while capture was down");
    }

    @Test
    void shouldDeleteTheCoupledTargetRowOfASyncedRow() {
        var h = start(Fixture.customers());
        DebeziumEvents accounts = h.events(ACCOUNT);
        h.send(accounts.insert(account(1, "1001")));
        h.mapped("customers", CUSTOMER);

        long lsn = accounts.nextLsn();
        h.send(accounts.delete(row("id", 1L)));

        List<TransformHarness.Mapped> out = h.mapped("customers", CUSTOMER);
        assertThat(out).hasSize(1);
        assertThat(out.get(0).op()).isEqualTo(Operation.DELETE);
        assertThat(out.get(0).recordKey()).containsExactly(Map.entry("no", "C-1001"));
        assertThat(out.get(0).change().key()).containsExactly(Map.entry("no", "C-1001"));
        assertThat(out.get(0).columns()).isEmpty();
        assertThat(out.get(0).change().sourcePosition()).isEqualTo(lsn);
    }

    @Test
    void shouldEmitNothingForTheDeleteOfARowNeverSynced() {
        var h = start(Fixture.customers().withFilters(Fixture.equals("relationship_type", "customer"), RowFilter.ALL));
        DebeziumEvents accounts = h.events(ACCOUNT);
        h.send(accounts.insert(with(account(1, "1001"), "relationship_type", "vendor")),
                accounts.delete(row("id", 1L)),
                accounts.delete(row("id", 42L)));

        assertThat(h.mapped("customers", CUSTOMER)).isEmpty();
        assertThat(h.deadLetters("erp")).isEmpty();
    }

    @Test
    void shouldEmitNothingForAnUpdateTouchingOnlyUnmappedColumns() {
        var h = start(Fixture.customers());
        DebeziumEvents accounts = h.events(ACCOUNT);
        Map<String, Object> before = account(1, "1001");
        h.send(accounts.insert(before));
        h.mapped("customers", CUSTOMER);

        h.send(accounts.update(before, with(before, "notes", "called again on Tuesday")));

        assertThat(h.mapped("customers", CUSTOMER)).isEmpty();
    }

    @Test
    void shouldEmitAnUpdateOfAMappedColumn() {
        var h = start(Fixture.customers());
        DebeziumEvents accounts = h.events(ACCOUNT);
        Map<String, Object> before = account(1, "1001");
        h.send(accounts.insert(before));
        h.mapped("customers", CUSTOMER);

        h.send(accounts.update(before, with(before, "name", "Ann Jones")));

        List<TransformHarness.Mapped> out = h.mapped("customers", CUSTOMER);
        assertThat(out).hasSize(1);
        assertThat(out.get(0).columns()).containsEntry("customer_name", "Ann Jones");
    }

    @Test
    void shouldDeleteTheOldTargetRowThenUpsertTheNewOneWhenTheKeyChanges() {
        var h = start(Fixture.customers());
        DebeziumEvents accounts = h.events(ACCOUNT);
        Map<String, Object> before = account(1, "1001");
        h.send(accounts.insert(before));
        h.mapped("customers", CUSTOMER);

        h.send(accounts.update(before, with(before, "account_number", "1009")));

        List<TransformHarness.Mapped> out = h.mapped("customers", CUSTOMER);
        assertThat(out).extracting(TransformHarness.Mapped::op).containsExactly(Operation.DELETE, Operation.UPSERT);
        assertThat(out.get(0).recordKey()).containsExactly(Map.entry("no", "C-1001"));
        assertThat(out.get(1).recordKey()).containsExactly(Map.entry("no", "C-1009"));

        // the link moved with the key: a later delete removes the new target row
        h.send(accounts.delete(row("id", 1L)));
        assertThat(h.mapped("customers", CUSTOMER)).extracting(m -> m.change().key().get("no")).containsExactly("C-1009");
    }

    @Test
    void shouldNotPropagateAChangeMadeBySync() {
        var h = start(Fixture.customers());
        h.send(h.events(ACCOUNT).insert(account(1, "1001")).madeBySync());

        assertThat(h.mapped("customers", CUSTOMER)).isEmpty();
        assertThat(h.deadLetters("erp")).isEmpty();
    }

    @Test
    void shouldPropagateAUserChangeBackToTheValueSyncOverwrote() {
        var h = start(Fixture.customers());
        DebeziumEvents accounts = h.events(ACCOUNT);
        Map<String, Object> ann = account(1, "1001");
        Map<String, Object> fromErp = with(ann, "name", "Ann Smith-Jones");
        h.send(accounts.insert(ann));
        h.mapped("customers", CUSTOMER);

        // ERP renamed the customer; dualsync wrote that to the CRM; the CRM user then renames it back
        h.send(accounts.update(ann, fromErp).madeBySync());
        h.send(accounts.update(fromErp, ann));

        List<TransformHarness.Mapped> out = h.mapped("customers", CUSTOMER);
        assertThat(out).hasSize(1);
        assertThat(out.get(0).columns()).containsEntry("customer_name", "Ann Smith");
    }

    // ---- loop suppression, second line: the images of both sides

    @Test
    void shouldDropAnEchoThatTheCaptureMarkerMissedAtOnce() {
        var h = start(Fixture.customers());
        h.send(h.events(ACCOUNT).insert(account(1, "1001")));
        Map<String, Object> written = h.mapped("customers", CUSTOMER).get(0).columns();

        // the apply's write into ERP comes back unmarked, with what sync wrote (plus an unmapped column)
        Map<String, Object> echo = new java.util.LinkedHashMap<>(written);
        echo.put("internal_note", "set by an ERP trigger");
        h.send(h.events(CUSTOMER).insert(echo));

        assertThat(h.mapped("customers", ACCOUNT)).isEmpty();
        assertThat(h.suppressed("customers", "echo")).isEqualTo(1.0);
    }

    @Test
    void shouldCoupleRowsWhoseKeysDifferOnlyInCaseAndSpacesUnderIgnoreCaseTrim() {
        var h = start(Fixture.customers().withKeyMatching(io.dualsync.config.KeyMatching.IGNORE_CASE_TRIM));
        h.send(h.events(ACCOUNT).insert(account(1, "ab-1")));
        Map<String, Object> written = h.mapped("customers", CUSTOMER).get(0).columns();

        // the ERP holds the same customer under "C-AB-1 ": an unmarked write of the same values is an echo
        Map<String, Object> inErp = new java.util.LinkedHashMap<>(written);
        inErp.put("no", "C-AB-1 ");
        inErp.put("internal_note", "vip");
        h.send(h.events(CUSTOMER).insert(inErp));

        assertThat(h.mapped("customers", ACCOUNT)).isEmpty();
        assertThat(h.suppressed("customers", "echo")).isEqualTo(1.0);
    }

    @Test
    void shouldSendAKeyRespelledOnlyInCaseAsAnUpdateOfTheSameRowNotADeleteAndInsert() {
        var h = start(Fixture.customers().withKeyMatching(io.dualsync.config.KeyMatching.IGNORE_CASE));
        DebeziumEvents accounts = h.events(ACCOUNT);
        Map<String, Object> ann = account(1, "ab-1");
        h.send(accounts.insert(ann));
        h.mapped("customers", CUSTOMER);

        h.send(accounts.update(ann, with(ann, "account_number", "AB-1", "name", "Ann Jones")));

        assertThat(h.mapped("customers", CUSTOMER)).extracting(TransformHarness.Mapped::op).containsExactly(Operation.UPSERT);
    }

    @Test
    void shouldCountChangesMarkedAsSyncWithoutPropagatingThem() {
        var h = start(Fixture.customers());
        h.send(h.events(CUSTOMER).insert(customer("C-2002")).madeBySync());

        assertThat(h.mapped("customers", ACCOUNT)).isEmpty();
        assertThat(h.suppressed("customers", "origin-sync")).isEqualTo(1.0);
    }

    @Test
    void shouldSendAQuickRevertEvenBeforeTheOtherSideReportedTheFirstChange() {
        var h = start(Fixture.customers());
        DebeziumEvents accounts = h.events(ACCOUNT);
        Map<String, Object> ann = account(1, "1001");
        Map<String, Object> renamed = with(ann, "name", "Ann Jones");
        h.send(accounts.insert(ann), accounts.update(ann, renamed), accounts.update(renamed, ann));

        assertThat(h.mapped("customers", CUSTOMER)).extracting(m -> m.columns().get("customer_name"))
                .containsExactly("Ann Smith", "Ann Jones", "Ann Smith");
    }

    @Test
    void shouldPropagateAChangeOfTheOtherSideAfterItWasOverwrittenBySync() {
        var h = start(Fixture.customers());
        DebeziumEvents accounts = h.events(ACCOUNT);
        DebeziumEvents customers = h.events(CUSTOMER);
        Map<String, Object> ann = account(1, "1001");
        h.send(accounts.insert(ann));
        Map<String, Object> inErp = new java.util.LinkedHashMap<>(h.mapped("customers", CUSTOMER).get(0).columns());
        inErp.put("internal_note", "vip");
        h.send(customers.insert(inErp).madeBySync());

        // both sides rename at once; ERP's rename goes to the CRM, which keeps its own (conflict);
        // the CRM's rename overwrites ERP (a sync write); then ERP renames to its value again
        Map<String, Object> crmName = with(ann, "name", "CRM name");
        Map<String, Object> erpName = with(inErp, "customer_name", "ERP name");
        h.send(accounts.update(ann, crmName), customers.update(inErp, erpName));
        h.send(customers.update(erpName, with(inErp, "customer_name", "CRM name")).madeBySync());
        h.mapped("customers", ACCOUNT);
        h.send(customers.update(with(inErp, "customer_name", "CRM name"), erpName));

        assertThat(h.mapped("customers", ACCOUNT)).extracting(m -> m.columns().get("name")).containsExactly("ERP name");
    }

    // ---- conflicts: concurrent changes of both sides, settled by the echo filter

    private static final java.time.Instant T0 = java.time.Instant.parse("2024-05-01T10:00:00Z");

    /** A row synced from the CRM to the ERP and confirmed by the ERP's marked write; returns the ERP row. */
    private static Map<String, Object> synced(TransformHarness h, DebeziumEvents accounts, DebeziumEvents customers,
                                              Map<String, Object> ann) {
        h.send(accounts.insert(ann));
        Map<String, Object> inErp = new java.util.LinkedHashMap<>(h.mapped("customers", CUSTOMER).get(0).columns());
        h.send(customers.insert(inErp).madeBySync());
        return inErp;
    }

    @Test
    void shouldLetTheLaterOfTwoConcurrentChangesWinAndSendItAgainToTheLoserUnderLatestWins() {
        var h = start(Fixture.customers().withConflicts(new ConflictPolicy(ConflictPolicy.Kind.LATEST_WINS, Optional.empty())));
        DebeziumEvents accounts = h.events(ACCOUNT).committedAt(T0);
        DebeziumEvents customers = h.events(CUSTOMER).committedAt(T0);
        Map<String, Object> ann = account(1, "1001");
        Map<String, Object> inErp = synced(h, accounts, customers, ann);

        // the CRM renames at 10:00:02, the ERP at 10:00:01; the CRM's change reaches the filter first
        h.send(accounts.committedAt(T0.plusSeconds(2)).update(ann, with(ann, "name", "CRM name")));
        h.send(customers.committedAt(T0.plusSeconds(1)).update(inErp, with(inErp, "customer_name", "ERP name")));

        List<TransformHarness.Mapped> toErp = h.mapped("customers", CUSTOMER);
        assertThat(toErp).extracting(m -> m.change().columns().get("customer_name")).containsExactly("CRM name", "CRM name");
        // sent again against the ERP's own change, so that the apply service overwrites it
        assertThat(toErp.get(1).arbitratedHash()).isNotEqualTo(toErp.get(0).arbitratedHash()).isNotNull();
        assertThat(h.mapped("customers", ACCOUNT)).isEmpty();
        assertThat(h.suppressed("customers", "conflict-lost")).isEqualTo(1.0);
    }

    @Test
    void shouldSendTheLaterConcurrentChangeAgainstTheImageTheLoserHoldsUnderLatestWins() {
        var h = start(Fixture.customers().withConflicts(new ConflictPolicy(ConflictPolicy.Kind.LATEST_WINS, Optional.empty())));
        DebeziumEvents accounts = h.events(ACCOUNT).committedAt(T0);
        DebeziumEvents customers = h.events(CUSTOMER).committedAt(T0);
        Map<String, Object> ann = account(1, "1001");
        Map<String, Object> inErp = synced(h, accounts, customers, ann);

        h.send(accounts.committedAt(T0.plusSeconds(1)).update(ann, with(ann, "name", "CRM name")));
        h.send(customers.committedAt(T0.plusSeconds(2)).update(inErp, with(inErp, "customer_name", "ERP name")));

        assertThat(h.mapped("customers", CUSTOMER)).extracting(m -> m.change().columns().get("customer_name"))
                .containsExactly("CRM name");
        List<TransformHarness.Mapped> toCrm = h.mapped("customers", ACCOUNT);
        assertThat(toCrm).extracting(m -> m.change().columns().get("name")).containsExactly("ERP name");
        assertThat(toCrm.get(0).arbitratedHash()).isNotNull();
        assertThat(h.suppressed("customers", "conflict-lost")).isZero();
    }

    @Test
    void shouldLetTheWinningEndpointWinAConcurrentChangeWhateverItsTime() {
        var h = start(Fixture.customers().withConflicts(new ConflictPolicy(ConflictPolicy.Kind.ENDPOINT_WINS, Optional.of("erp"))));
        DebeziumEvents accounts = h.events(ACCOUNT).committedAt(T0);
        DebeziumEvents customers = h.events(CUSTOMER).committedAt(T0);
        Map<String, Object> ann = account(1, "1001");
        Map<String, Object> inErp = synced(h, accounts, customers, ann);

        h.send(customers.committedAt(T0.plusSeconds(1)).update(inErp, with(inErp, "customer_name", "ERP name")));
        h.send(accounts.committedAt(T0.plusSeconds(2)).update(ann, with(ann, "name", "CRM name")));

        assertThat(h.mapped("customers", CUSTOMER)).isEmpty();
        assertThat(h.mapped("customers", ACCOUNT)).extracting(m -> m.change().columns().get("name"))
                .containsExactly("ERP name", "ERP name");
        assertThat(h.suppressed("customers", "conflict-lost")).isEqualTo(1.0);
    }

    /**
     * The CRM row as the apply service treats it: a mapped record sent against an image is written
     * only when the row holds that image, otherwise left for the echo filter (deferred); one sent
     * without an image is written. Holds the row's image hash in the columns the ERP writes into it.
     */
    private static final class CrmRow {
        private final java.util.List<String> written;
        String image;

        CrmRow(Map<String, Object> account) {
            this.written = io.dualsync.contract.MappedColumns.of(Fixture.customersMap(), io.dualsync.config.Side.B,
                    Fixture.customers().catalog()).columns();
            userWrites(account);
        }

        void userWrites(Map<String, Object> account) {
            Map<String, Object> image = new java.util.LinkedHashMap<>();
            written.forEach(c -> image.put(c, account.get(c)));
            this.image = io.dualsync.contract.CanonicalText.rowHash(image);
        }

        long position;

        /** Applies the records in topic order, skipping any not newer than the last applied; returns the names written. */
        List<Object> apply(List<TransformHarness.Mapped> records) {
            List<Object> applied = new java.util.ArrayList<>();
            for (TransformHarness.Mapped m : records) {
                if (m.change().sourcePosition() <= position) {
                    continue;
                }
                if (m.arbitratedHash() == null || m.arbitratedHash().equals(image)) {
                    image = io.dualsync.contract.CanonicalText.rowHash(m.columns());
                    position = m.change().sourcePosition();
                    applied.add(m.columns().get("name"));
                }
            }
            return applied;
        }
    }

    @Test
    void shouldSendTheWinnersNextChangeAgainstTheImageTheLoserHoldsOnceTheResentWinnerIsApplied() {
        var h = start(Fixture.customers().withConflicts(new ConflictPolicy(ConflictPolicy.Kind.ENDPOINT_WINS, Optional.of("erp"))));
        DebeziumEvents accounts = h.events(ACCOUNT).committedAt(T0);
        DebeziumEvents customers = h.events(CUSTOMER).committedAt(T0);
        Map<String, Object> ann = account(1, "1001");
        Map<String, Object> inErp = synced(h, accounts, customers, ann);
        CrmRow crm = new CrmRow(ann);
        Map<String, Object> erp1 = with(inErp, "customer_name", "ERP 1");

        // round 1: the ERP's change is on its way to the CRM when the CRM's concurrent change reaches
        // the filter: the CRM's loses and the ERP's is sent again against it
        h.send(customers.update(inErp, erp1));
        Map<String, Object> crm1 = with(ann, "name", "CRM 1");
        h.send(accounts.update(ann, crm1));
        crm.userWrites(crm1);
        // round 2: the ERP changes again before the CRM confirmed round 1's write
        h.send(customers.update(erp1, with(erp1, "customer_name", "ERP 2")));

        List<TransformHarness.Mapped> toCrm = h.mapped("customers", ACCOUNT);
        assertThat(toCrm).extracting(m -> m.columns().get("name")).containsExactly("ERP 1", "ERP 1", "ERP 2");
        assertThat(crm.apply(toCrm)).as("what the CRM writes, in order").containsExactly("ERP 1", "ERP 2");
    }

    @Test
    void shouldLandTheOtherSidesChangeOverAConcurrentChangeOfOnlyUnmappedColumns() {
        var h = start(Fixture.customers().withConflicts(new ConflictPolicy(ConflictPolicy.Kind.LATEST_WINS, Optional.empty())));
        DebeziumEvents accounts = h.events(ACCOUNT).committedAt(T0);
        DebeziumEvents customers = h.events(CUSTOMER).committedAt(T0);
        Map<String, Object> ann = account(1, "1001");
        Map<String, Object> inErp = synced(h, accounts, customers, ann);
        CrmRow crm = new CrmRow(ann);
        Map<String, Object> erp1 = with(inErp, "customer_name", "ERP 1");

        // the CRM edits only its notes, later than the ERP's rename that is on its way to it
        h.send(customers.committedAt(T0.plusSeconds(1)).update(inErp, erp1));
        h.send(accounts.committedAt(T0.plusSeconds(2)).update(ann, with(ann, "notes", "called on Tuesday")));
        h.send(customers.committedAt(T0.plusSeconds(3)).update(erp1, with(erp1, "customer_name", "ERP 2")));

        assertThat(crm.apply(h.mapped("customers", ACCOUNT))).containsExactly("ERP 1", "ERP 2");
        assertThat(h.mapped("customers", CUSTOMER)).isEmpty();
        assertThat(h.suppressed("customers", "conflict-lost")).isZero();
    }

    @Test
    void shouldLandTheOtherSidesChangeOnARowThatLeftScopeMeanwhile() {
        var h = start(Fixture.customers().withConflicts(new ConflictPolicy(ConflictPolicy.Kind.ENDPOINT_WINS, Optional.of("erp")))
                .withFilters(Fixture.equals("relationship_type", "customer"), RowFilter.ALL));
        DebeziumEvents accounts = h.events(ACCOUNT).committedAt(T0);
        DebeziumEvents customers = h.events(CUSTOMER).committedAt(T0);
        Map<String, Object> ann = account(1, "1001");
        Map<String, Object> inErp = synced(h, accounts, customers, ann);
        CrmRow crm = new CrmRow(ann);

        // while the ERP's rename travels, the CRM renames the account and makes it a vendor (out of scope)
        h.send(customers.update(inErp, with(inErp, "customer_name", "ERP name")));
        Map<String, Object> vendor = with(ann, "relationship_type", "vendor", "name", "CRM name");
        h.send(accounts.update(ann, vendor));
        crm.userWrites(vendor);

        // the target side's filter is not applied when writing: the ERP's change still lands
        assertThat(crm.apply(h.mapped("customers", ACCOUNT))).containsExactly("ERP name");
        assertThat(h.mapped("customers", CUSTOMER)).isEmpty();
    }

    @Test
    void shouldTreatAChangeMadeAfterTheOtherSidesChangeArrivedAsNoConflict() {
        var h = start(Fixture.customers().withConflicts(new ConflictPolicy(ConflictPolicy.Kind.ENDPOINT_WINS, Optional.of("erp"))));
        DebeziumEvents accounts = h.events(ACCOUNT).committedAt(T0);
        DebeziumEvents customers = h.events(CUSTOMER).committedAt(T0);
        Map<String, Object> ann = account(1, "1001");
        Map<String, Object> inErp = synced(h, accounts, customers, ann);
        Map<String, Object> fromErp = with(ann, "name", "ERP name");

        h.send(customers.update(inErp, with(inErp, "customer_name", "ERP name")));
        h.mapped("customers", ACCOUNT);
        h.send(accounts.update(ann, fromErp).madeBySync());
        h.send(accounts.update(fromErp, with(ann, "name", "CRM name")));

        assertThat(h.mapped("customers", CUSTOMER)).extracting(m -> m.change().columns().get("customer_name"))
                .containsExactly("CRM name");
        assertThat(h.suppressed("customers", "conflict-lost")).isZero();
    }

    @Test
    void shouldSendAChangeAgainstTheImageTheOtherSideHoldsWhenNothingIsInFlight() {
        var h = start(Fixture.customers());
        DebeziumEvents accounts = h.events(ACCOUNT);
        DebeziumEvents customers = h.events(CUSTOMER);
        Map<String, Object> ann = account(1, "1001");
        Map<String, Object> inErp = synced(h, accounts, customers, ann);

        h.send(customers.update(inErp, with(inErp, "customer_name", "ERP name")));

        List<TransformHarness.Mapped> toCrm = h.mapped("customers", ACCOUNT);
        assertThat(toCrm).extracting(m -> m.change().columns().get("name")).containsExactly("ERP name");
        assertThat(toCrm.get(0).arbitratedHash()).isNotNull();
    }

    @Test
    void shouldForgetTheImagesOfARowOnceBothSidesDeletedIt() {
        var h = start(Fixture.customers());
        DebeziumEvents accounts = h.events(ACCOUNT);
        DebeziumEvents customers = h.events(CUSTOMER);
        synced(h, accounts, customers, account(1, "1001"));
        assertThat(imagesKept(h)).isEqualTo(1);

        h.send(accounts.delete(row("id", 1L)));
        h.mapped("customers", CUSTOMER);
        h.send(customers.delete(row("no", "C-1001")).madeBySync());

        assertThat(imagesKept(h)).isZero();
    }

    private static int imagesKept(TransformHarness h) {
        int n = 0;
        try (var all = h.store("customers.images").all()) {
            while (all.hasNext()) {
                all.next();
                n++;
            }
        }
        return n;
    }

    @Test
    void shouldSkipTombstones() {
        var h = start(Fixture.customers());
        DebeziumEvents accounts = h.events(ACCOUNT);
        h.send(accounts.withValue(accounts.insert(account(1, "1001")), null));

        assertThat(h.mapped("customers", CUSTOMER)).isEmpty();
        assertThat(h.deadLetters("erp")).isEmpty();
    }

    @Test
    void shouldKeepTheLinkOfEachSyncedRowInTheNamedStore() {
        var h = start(Fixture.customers());
        h.send(h.events(ACCOUNT).insert(account(1, "1001")));

        Link link = h.store("customers.a-to-b.links").get("{\"id\": 1}");
        assertThat(link.targetKey()).containsExactly(Map.entry("no", "C-1001"));
    }

    // ---- directions

    @Test
    void shouldReadOnlyTheRawTopicOfAForAnAToBMap() {
        Fixture fixture = Fixture.customers().withDirection(Direction.A_TO_B);

        assertThat(sourceTopics(fixture)).containsExactly(Topics.raw(ACCOUNT));
        var h = start(fixture);
        assertThatThrownBy(() -> h.send(h.events(CUSTOMER).insert(customer("C-2002"))))
                .hasMessageContaining("Unknown topic");
    }

    @Test
    void shouldReadOnlyTheRawTopicOfBForABToAMap() {
        assertThat(sourceTopics(Fixture.customers().withDirection(Direction.B_TO_A))).containsExactly(Topics.raw(CUSTOMER));
    }

    @Test
    void shouldMapBothWaysForABidirectionalMap() {
        var h = start(Fixture.customers());
        h.send(h.events(ACCOUNT).insert(account(1, "1001")), h.events(CUSTOMER).insert(customer("C-2002")));

        assertThat(h.mapped("customers", CUSTOMER)).hasSize(1);
        TransformHarness.Mapped towardA = h.mapped("customers", ACCOUNT).get(0);
        assertThat(towardA.change().sourceEndpoint()).isEqualTo("erp");
        assertThat(towardA.change().targetTable()).isEqualTo("public.account");
        assertThat(towardA.columns()).containsExactly(
                Map.entry("account_number", "2002"),
                Map.entry("name", "Bob Jones"),
                Map.entry("credit_limit", new BigDecimal("99.5000000000")),
                Map.entry("status", "inactive"),
                Map.entry("company_id", "CRONUS-US"),
                Map.entry("segment", "retail"),
                Map.entry("created_at", LocalDateTime.parse("2024-03-01T12:00:00")));
    }

    @Test
    void shouldFeedTwoMapsFromOneRawTopic() {
        var h = start(Fixture.customers().withContactsMap());
        h.send(h.events(ACCOUNT).insert(account(1, "1001")));

        assertThat(h.mapped("customers", CUSTOMER)).hasSize(1);
        assertThat(h.mapped("contacts", CONTACT).get(0).columns())
                .containsExactly(Map.entry("account_no", "1001"), Map.entry("display_name", "Ann Smith"));
    }

    private static Set<String> sourceTopics(Fixture fixture) {
        Set<String> topics = new HashSet<>();
        TopologyDescription description = MappingTopology.build(fixture.config(), fixture.catalog(), new InMemoryAvroSerdes()).describe();
        for (TopologyDescription.Subtopology sub : description.subtopologies()) {
            for (TopologyDescription.Node node : sub.nodes()) {
                if (node instanceof TopologyDescription.Source source) {
                    topics.addAll(source.topicSet());
                }
            }
        }
        return topics;
    }

    private static String header(TestRecord<byte[], byte[]> record, String name) {
        Header h = record.headers().lastHeader(name);
        return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }
}
