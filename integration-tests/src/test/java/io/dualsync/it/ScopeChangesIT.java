package io.dualsync.it;

import io.dualsync.capture.CaptureOptions;
import io.dualsync.launcher.Pipeline;
import io.dualsync.launcher.ServiceHost;
import io.dualsync.launcher.Startup;
import io.dualsync.launcher.infra.EmbeddedMariaDb;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.LocalDateTime;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.List;

import static io.dualsync.it.Sql.exec;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Values set only when the sync creates a row ({@code onInsert}) and what a row leaving a map's
 * scope does ({@code leavesScope}), PostgreSQL (CRM) to MariaDB (ERP) over a real broker, registry
 * and both databases, checked column by column:
 * <ul>
 *   <li>map {@code accounts} (row filter and company filter, {@code leavesScope: keep}): an account
 *       created by the sync gets the onInsert values, typed by their MariaDB columns; a source update
 *       does not overwrite a local change of an onInsert column; an account leaving scope (filter or
 *       company) leaves its customer untouched (its ON UPDATE timestamp stays); back in scope, the
 *       customer gets the account's full current state, also where only the filter column changed;</li>
 *   <li>maps {@code leads} ({@code leavesScope: delete}, hard delete) and {@code softleads}
 *       ({@code leavesScope: delete}, {@code deletes: { soft: deleted }}) on one CRM table: a lead
 *       leaving scope is deleted, or marked deleted and otherwise untouched; back in scope it is created
 *       again with its onInsert values, or marked live again, with its full current state.</li>
 * </ul>
 * A change made after another to a row of the same map is the barrier that proves the earlier one
 * was processed (one partition per topic: in order).
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ScopeChangesIT {

    private static final String CRM = "scrm";
    private static final String ERP = "serp";
    private static final BigDecimal CREDIT = new BigDecimal("1234567890123456789012345678.0123456789");

    @TempDir
    static Path dir;

    static Connection crm;
    static Connection erp;
    static ServiceHost host;
    static Startup.Checked checked;

    @BeforeAll
    static void startPipeline() throws Exception {
        var infra = SharedInfrastructure.get();
        EmbeddedMariaDb mariadb = infra.mariadb();
        String crmUrl = infra.postgres().createDatabase(SharedInfrastructure.uniqueName("scope_crm"));
        String erpDatabase = SharedInfrastructure.uniqueName("scope_erp");
        String erpUrl = mariadb.createDatabase(erpDatabase);
        crm = DriverManager.getConnection(crmUrl, infra.postgres().user(), null);
        erp = DriverManager.getConnection(erpUrl, mariadb.user(), mariadb.password());
        exec(erp, "SET time_zone = '+00:00'");
        exec(crm, """
                create table account (account_number varchar(20) primary key, name text, credit_limit numeric(38,10),
                  relationship_type text, company_id text, notes text)""");
        exec(crm, "create table lead (code varchar(20) primary key, name text, stage text)");
        exec(erp, """
                CREATE TABLE customer (no varchar(20) PRIMARY KEY, name varchar(100), credit_limit decimal(38,10),
                  status varchar(20) NOT NULL DEFAULT 'new', kind enum('customer','vendor') NULL, credit_days int NULL,
                  discount decimal(5,2) NULL, since datetime(6) NULL,
                  touched datetime(6) NULL DEFAULT NULL ON UPDATE CURRENT_TIMESTAMP(6)) CHARACTER SET utf8mb4""");
        exec(erp, "CREATE TABLE prospect (code varchar(20) PRIMARY KEY, name varchar(100), origin varchar(10) NULL) CHARACTER SET utf8mb4");
        exec(erp, """
                CREATE TABLE soft_prospect (code varchar(20) PRIMARY KEY, name varchar(100), deleted boolean NOT NULL DEFAULT false,
                  touched datetime(6) NULL DEFAULT NULL ON UPDATE CURRENT_TIMESTAMP(6)) CHARACTER SET utf8mb4""");
        exec(crm, "insert into account values ('A-1', 'Ann', 10.5, 'customer', 'CRONUS-US', null)");
        exec(crm, "insert into account values ('A-2', 'Vendor Ltd', 1, 'vendor', 'CRONUS-US', null)");

        Path password = Files.writeString(dir.resolve("mariadb.password"), mariadb.password());
        Path config = Files.writeString(dir.resolve("scope.yaml"), """
                kafka: { bootstrap: "%s", applicationId: it-scopechangesit }
                registry: { url: "%s" }
                endpoints:
                  %s: { kind: postgres, url: "%s", user: %s }
                  %s: { kind: mariadb, url: "%s", user: %s, passwordFile: "%s", serverId: 4251 }
                maps:
                  - name: scopeaccounts
                    a: %1$s.public.account
                    b: %2$s.customer
                    key: [ { a: account_number, b: no } ]
                    fields:
                      - { a: name, b: name }
                      - { a: credit_limit, b: credit_limit }
                    filter: { a: "relationship_type = 'customer'" }
                    companies: { a: company_id, include: [ CRONUS-US ] }
                    onInsert:
                      b: { status: active, kind: customer, credit_days: "30", discount: "2.5", since: "2026-11-30T15:04:05.123456" }
                  - name: scopeleads
                    a: %1$s.public.lead
                    b: %2$s.prospect
                    key: [ { a: code, b: code } ]
                    fields: [ { a: name, b: name } ]
                    filter: { a: "stage = 'open'" }
                    leavesScope: delete
                    onInsert: { b: { origin: crm } }
                  - name: scopesoftleads
                    a: %1$s.public.lead
                    b: %2$s.soft_prospect
                    key: [ { a: code, b: code } ]
                    fields: [ { a: name, b: name } ]
                    filter: { a: "stage = 'open'" }
                    leavesScope: delete
                    deletes: { soft: deleted }
                """.replace("%1$s", CRM).replace("%2$s", ERP).formatted(infra.kafka().bootstrapServers(), infra.registry().url(),
                CRM, crmUrl, infra.postgres().user(), ERP, erpUrl, mariadb.user(), password));
        checked = Startup.loadAndCheck(config);
        host = new ServiceHost();
        new Pipeline(checked, host).startAll(CaptureOptions.defaults().withPollInterval(Duration.ofMillis(20)));
    }

    @AfterAll
    static void stop() throws Exception {
        PipelineTeardown.stop(host, checked, List.of(CRM), crm, erp);
    }

    @Test
    @Order(1)
    void shouldGiveARowTheSyncCreatesItsOnInsertValuesTypedByTheTargetColumns() throws SQLException {
        awaitCustomer("A-1", customer("Ann", "10.5000000000", "active", "customer", 30, "2.50"));
        exec(crm, "insert into account values ('A-3', 'Bob', " + CREDIT + ", 'customer', 'CRONUS-US', null)");
        awaitCustomer("A-3", customer("Bob", CREDIT.toPlainString(), "active", "customer", 30, "2.50"));
        assertThat(customerRow("A-1").orElseThrow()).containsEntry("since", LocalDateTime.parse("2026-11-30T15:04:05.123456"));
        assertThat(customerRow("A-2")).as("a vendor is out of scope").isEmpty();
    }

    @Test
    @Order(2)
    void shouldNotOverwriteALocalChangeOfAnOnInsertColumnWithASourceUpdate() throws SQLException {
        exec(erp, "UPDATE customer SET status = 'blocked', discount = 7.25 WHERE no = 'A-1'");
        exec(crm, "update account set name = 'Ann Smith', credit_limit = 11 where account_number = 'A-1'");

        awaitCustomer("A-1", customer("Ann Smith", "11.0000000000", "blocked", "customer", 30, "7.25"));
    }

    @Test
    @Order(3)
    void shouldLeaveTheTargetRowUntouchedWhenItsSourceRowLeavesScope() throws SQLException {
        exec(erp, "UPDATE customer SET name = 'edited in the ERP' WHERE no = 'A-3'");
        String touchedA3 = touched("customer", "A-3");
        String touchedA1 = touched("customer", "A-1");
        // A-3 leaves by the row filter and changes mapped columns at once; A-1 leaves by the company filter alone
        exec(crm, "update account set relationship_type = 'vendor', name = 'Bob Vendor', credit_limit = 1 where account_number = 'A-3'");
        exec(crm, "update account set company_id = 'CRONUS-DE' where account_number = 'A-1'");
        exec(crm, "update account set name = 'Bob Vendor 2' where account_number = 'A-3'");
        barrierOnAccounts("B-1");

        assertThat(customerRow("A-3").orElseThrow()).containsAllEntriesOf(
                customer("edited in the ERP", CREDIT.toPlainString(), "active", "customer", 30, "2.50"));
        assertThat(touched("customer", "A-3")).isEqualTo(touchedA3);
        assertThat(customerRow("A-1").orElseThrow()).containsAllEntriesOf(
                customer("Ann Smith", "11.0000000000", "blocked", "customer", 30, "7.25"));
        assertThat(touched("customer", "A-1")).isEqualTo(touchedA1);
    }

    @Test
    @Order(4)
    void shouldSendTheFullCurrentStateOfARowComingBackIntoScope() throws SQLException {
        exec(crm, "update account set relationship_type = 'customer' where account_number = 'A-3'");
        // only the filter column changes here: the name and credit limit changed while A-3 was out of scope
        awaitCustomer("A-3", customer("Bob Vendor 2", "1.0000000000", "active", "customer", 30, "2.50"));

        // A-1 comes back with the very image it left with (only its company changed): it is sent all the same,
        // so the ERP's local edit of a mapped column meanwhile is repaired
        exec(erp, "UPDATE customer SET credit_limit = 999 WHERE no = 'A-1'");
        exec(crm, "update account set company_id = 'CRONUS-US' where account_number = 'A-1'");
        awaitCustomer("A-1", customer("Ann Smith", "11.0000000000", "blocked", "customer", 30, "7.25"));
        assertThat(host.firstFailure()).isEmpty();
    }

    @Test
    @Order(5)
    void shouldDeleteOrSoftDeleteTheTargetRowWhenItsSourceRowLeavesScopeUnderLeavesScopeDelete() throws SQLException {
        exec(crm, "insert into lead values ('L-1', 'Lead one', 'open')");
        awaitRow("prospect", "L-1", Map.of("name", "Lead one", "origin", "crm"));
        awaitRow("soft_prospect", "L-1", Map.of("name", "Lead one", "deleted", false));
        exec(erp, "UPDATE prospect SET origin = 'fair' WHERE code = 'L-1'");

        exec(crm, "update lead set stage = 'won', name = 'Lead one won' where code = 'L-1'");
        await().atMost(Duration.ofSeconds(90)).until(() -> row("prospect", "L-1").isEmpty());
        awaitRow("soft_prospect", "L-1", Map.of("name", "Lead one", "deleted", true));
        String touched = touched("soft_prospect", "L-1");
        exec(crm, "update lead set name = 'Lead one renamed' where code = 'L-1'");
        exec(crm, "insert into lead values ('L-2', 'barrier', 'open')");
        awaitRow("soft_prospect", "L-2", Map.of("name", "barrier"));
        awaitRow("prospect", "L-2", Map.of("name", "barrier"));
        assertThat(row("prospect", "L-1")).as("out of scope, already deleted").isEmpty();
        assertThat(touched("soft_prospect", "L-1")).as("out of scope, already marked deleted").isEqualTo(touched);

        exec(crm, "update lead set stage = 'open' where code = 'L-1'");
        // created again by the sync, so with its onInsert value again (the local 'fair' went with the deleted row)
        awaitRow("prospect", "L-1", Map.of("name", "Lead one renamed", "origin", "crm"));
        awaitRow("soft_prospect", "L-1", Map.of("name", "Lead one renamed", "deleted", false));
        assertThat(host.firstFailure()).isEmpty();
    }

    /** A change of an in-scope account made after the others: when it has arrived, they were processed. */
    private static void barrierOnAccounts(String number) throws SQLException {
        exec(crm, "insert into account values ('" + number + "', 'barrier', 0, 'customer', 'CRONUS-US', null)");
        awaitCustomer(number, Map.of("name", "barrier"));
    }

    private static Map<String, Object> customer(String name, String creditLimit, String status, String kind,
                                                Integer creditDays, String discount) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", name);
        m.put("credit_limit", new BigDecimal(creditLimit));
        m.put("status", status);
        m.put("kind", kind);
        m.put("credit_days", creditDays);
        m.put("discount", new BigDecimal(discount));
        return m;
    }

    private static void awaitCustomer(String no, Map<String, Object> expected) {
        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(50)).untilAsserted(() -> {
            assertThat(host.firstFailure()).isEmpty();
            Optional<Map<String, Object>> row = customerRow(no);
            assertThat(row).as("customer %s", no).isPresent();
            // every column compared on its own; BigDecimal equality includes the scale
            expected.forEach((column, value) -> assertThat(row.get().get(column)).as("%s.%s", no, column).isEqualTo(value));
        });
    }

    private static Optional<Map<String, Object>> customerRow(String no) throws SQLException {
        try (PreparedStatement s = erp.prepareStatement(
                "SELECT name, credit_limit, status, kind, credit_days, discount, since FROM customer WHERE no = ?")) {
            s.setString(1, no);
            try (ResultSet rs = s.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("name", rs.getString("name"));
                m.put("credit_limit", rs.getBigDecimal("credit_limit"));
                m.put("status", rs.getString("status"));
                m.put("kind", rs.getString("kind"));
                m.put("credit_days", rs.getObject("credit_days"));
                m.put("discount", rs.getBigDecimal("discount"));
                m.put("since", rs.getObject("since", LocalDateTime.class));
                return Optional.of(m);
            }
        }
    }

    private static void awaitRow(String table, String code, Map<String, Object> expected) {
        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(50)).untilAsserted(() -> {
            assertThat(host.firstFailure()).isEmpty();
            Optional<Map<String, Object>> row = row(table, code);
            assertThat(row).as("%s %s", table, code).isPresent();
            expected.forEach((column, value) -> assertThat(row.get().get(column)).as("%s.%s", code, column).isEqualTo(value));
        });
    }

    /** A prospect or soft_prospect row: every column but the key, text as text and the flag as a boolean. */
    private static Optional<Map<String, Object>> row(String table, String code) throws SQLException {
        try (PreparedStatement s = erp.prepareStatement("SELECT * FROM " + table + " WHERE code = ?")) {
            s.setString(1, code);
            try (ResultSet rs = s.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                Map<String, Object> m = new LinkedHashMap<>();
                for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
                    String column = rs.getMetaData().getColumnName(i);
                    m.put(column, column.equals("deleted") ? (Object) rs.getBoolean(i) : rs.getString(i));
                }
                return Optional.of(m);
            }
        }
    }

    /** The row's ON UPDATE timestamp: it changes whenever anything rewrites the row. */
    private static String touched(String table, String key) throws SQLException {
        String keyColumn = table.equals("customer") ? "no" : "code";
        try (PreparedStatement s = erp.prepareStatement("SELECT touched FROM " + table + " WHERE " + keyColumn + " = ?")) {
            s.setString(1, key);
            try (ResultSet rs = s.executeQuery()) {
                assertThat(rs.next()).as("%s %s exists", table, key).isTrue();
                return rs.getString(1);
            }
        }
    }
}
