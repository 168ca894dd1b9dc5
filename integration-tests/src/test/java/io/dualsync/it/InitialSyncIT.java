package io.dualsync.it;

import io.dualsync.apply.ApplyService;
import io.dualsync.apply.FirstSync;
import io.dualsync.capture.CaptureOptions;
import io.dualsync.launcher.Pipeline;
import io.dualsync.launcher.ServiceHost;
import io.dualsync.launcher.Startup;
import io.dualsync.transform.TransformService;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.List;

import static io.dualsync.it.Sql.exec;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The first sync of a bidirectional map when both sides already hold data, over two real
 * PostgreSQL databases: rows coupled by the map's key, rows only on one side created on the
 * other, rows both sides hold with other values settled by the side the map names authoritative
 * at the first sync ({@code initialSync: { authoritative: <erp> }}), and the result reported per
 * map (created, matched, differing, failed) by each endpoint's apply service.
 */
class InitialSyncIT {

    private static final Logger log = LoggerFactory.getLogger(InitialSyncIT.class);

    @TempDir
    static Path dir;

    static Connection crm;
    static Connection erp;
    static ServiceHost host;
    static Startup.Checked checked;
    static String crmName;
    static String erpName;
    static String map;
    static String contacts;
    static final Map<String, ApplyService> applies = new LinkedHashMap<>();

    @BeforeAll
    static void start() throws Exception {
        var infra = SharedInfrastructure.get();
        crmName = SharedInfrastructure.uniqueName("icrm");
        erpName = SharedInfrastructure.uniqueName("ierp");
        map = SharedInfrastructure.uniqueName("initial");
        contacts = SharedInfrastructure.uniqueName("contacts");
        String crmUrl = infra.postgres().createDatabase(crmName);
        String erpUrl = infra.postgres().createDatabase(erpName);
        crm = DriverManager.getConnection(crmUrl, infra.postgres().user(), null);
        erp = DriverManager.getConnection(erpUrl, infra.postgres().user(), null);
        exec(crm, "create table account (id int primary key, name text, credit numeric(38,10), notes text)");
        exec(erp, "create table customer (no int primary key, name text, credit numeric(38,10), internal text)");
        // 1-3 only in the CRM, 4-6 on both alike, 7-10 on both with other values, 11-13 only in the ERP
        exec(crm, "insert into account select i, 'name ' || i, i + 0.5, 'crm only column' from generate_series(1, 6) i");
        exec(crm, "insert into account select i, 'crm name ' || i, i + 0.25, null from generate_series(7, 10) i");
        exec(erp, "insert into customer select i, 'name ' || i, i + 0.5, 'erp only column' from generate_series(4, 6) i");
        exec(erp, "insert into customer select i, 'erp name ' || i, i + 0.75, null from generate_series(7, 13) i");
        // a second map couples text keys ignoring case and surrounding spaces: alpha, beta and gamma are
        // on both sides spelled differently, delta only in the CRM, epsilon only in the ERP
        exec(crm, "create table contact (code text primary key, name text)");
        exec(erp, "create table person (code varchar(20) primary key, name text)");
        exec(crm, "insert into contact values ('Alpha', 'crm alpha'), ('BETA', 'beta same'), (' gamma ', 'crm gamma'), "
                + "('delta', 'delta only crm')");
        exec(erp, "insert into person values ('alpha', 'erp alpha'), ('beta', 'beta same'), ('GAMMA', 'erp gamma'), "
                + "('Epsilon', 'epsilon only erp')");
        Path config = Files.writeString(dir.resolve("initial.yaml"), """
                kafka: { bootstrap: "%s", applicationId: it-initialsyncit }
                registry: { url: "%s" }
                endpoints:
                  %s: { kind: postgres, url: "%s", user: %s }
                  %s: { kind: postgres, url: "%s", user: %s }
                maps:
                  - name: %s
                    a: %s.public.account
                    b: %s.public.customer
                    direction: bidirectional
                    key: [ { a: id, b: no } ]
                    fields:
                      - { a: name,   b: name }
                      - { a: credit, b: credit }
                    conflicts: latest-wins
                    initialSync: { authoritative: %s }
                  - name: %s
                    a: %s.public.contact
                    b: %s.public.person
                    direction: bidirectional
                    key: [ { a: code, b: code } ]
                    keyMatching: ignore-case-trim
                    fields:
                      - { a: name, b: name }
                    conflicts: latest-wins
                    initialSync: { authoritative: %s }
                """.formatted(infra.kafka().bootstrapServers(), infra.registry().url(),
                crmName, crmUrl, infra.postgres().user(), erpName, erpUrl, infra.postgres().user(),
                map, crmName, erpName, erpName, contacts, crmName, erpName, erpName));
        checked = Startup.loadAndCheck(config);
        host = new ServiceHost();
        for (String endpoint : new String[] {crmName, erpName}) {
            ApplyService apply = new ApplyService(checked.config(), checked.catalog(), endpoint, new SimpleMeterRegistry());
            apply.start();
            applies.put(endpoint, apply);
            host.add(new ServiceHost.Hosted("apply[" + endpoint + "]", apply, apply::failure));
        }
        TransformService transform = new TransformService(checked.config(), checked.catalog(), map, dir.resolve("streams"),
                new SimpleMeterRegistry());
        transform.start();
        host.add(new ServiceHost.Hosted("transform", transform, transform::failure));
        new Pipeline(checked, host).startCapture(CaptureOptions.defaults().withPollInterval(Duration.ofMillis(20)));
    }

    @AfterAll
    static void stop() throws Exception {
        PipelineTeardown.stop(host, checked, List.of(crmName, erpName), crm, erp);
    }

    @Test
    void shouldCoupleRowsWhoseKeysDifferOnlyInCaseOrSurroundingSpacesAndKeepEachSidesSpelling() throws Exception {
        Map<String, String> expected = Map.of("alpha", "erp alpha", "beta", "beta same", "gamma", "erp gamma",
                "delta", "delta only crm", "epsilon", "epsilon only erp");
        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
            assertThat(host.firstFailure()).isEmpty();
            assertThat(byMatchedKey(crm, "contact")).isEqualTo(expected);
            assertThat(byMatchedKey(erp, "person")).isEqualTo(expected);
        });
        Thread.sleep(2_000); // a late resend, echo or duplicate would show by now
        assertThat(byMatchedKey(crm, "contact")).isEqualTo(expected);
        assertThat(byMatchedKey(erp, "person")).isEqualTo(expected);
        // every coupled row keeps the key its side spelled it with; created rows take the source's spelling
        assertThat(image(crm, "select code, name, '' from contact").keySet())
                .containsExactlyInAnyOrder("Alpha", "BETA", " gamma ", "delta", "Epsilon");
        assertThat(image(erp, "select code, name, '' from person").keySet())
                .containsExactlyInAnyOrder("alpha", "beta", "GAMMA", "delta", "Epsilon");

        FirstSync intoCrm = applies.get(crmName).firstSync().get(contacts);
        FirstSync intoErp = applies.get(erpName).firstSync().get(contacts);
        log.info("first sync of map {} (keyMatching ignore-case-trim): into the CRM {}, into the ERP {}", contacts, intoCrm, intoErp);
        assertThat(intoCrm.created()).isEqualTo(1);
        assertThat(intoErp.created()).isEqualTo(1);
        assertThat(intoCrm.failed() + intoErp.failed()).isZero();
    }

    /** Name by key in its matched form (trimmed, lower case), failing on two rows of one matched key. */
    private static Map<String, String> byMatchedKey(Connection c, String table) throws SQLException {
        Map<String, String> rows = new TreeMap<>();
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("select code, name from " + table)) {
            while (rs.next()) {
                String key = rs.getString(1).strip().toLowerCase(java.util.Locale.ROOT);
                assertThat(rows.put(key, rs.getString(2))).as("one row per matched key in %s", table).isNull();
            }
        }
        return rows;
    }

    @Test
    void shouldCoupleMatchingRowsCreateOneSidedOnesSettleDifferingOnesByTheAuthoritativeSideAndReportIt() throws Exception {
        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
            assertThat(host.firstFailure()).isEmpty();
            assertThat(image(crm, "select id, name, credit::text from account"))
                    .isEqualTo(image(erp, "select no, name, credit::text from customer"))
                    .hasSize(13);
        });
        Thread.sleep(2_000); // a late resend or echo would show by now
        Map<String, String> crmRows = image(crm, "select id, name, credit::text from account");
        assertThat(crmRows).isEqualTo(image(erp, "select no, name, credit::text from customer"));
        for (int i = 7; i <= 10; i++) {
            assertThat(crmRows.get(Integer.toString(i))).as("row %s, held differently by both", i)
                    .isEqualTo("erp name " + i + "|" + i + ".7500000000");
        }
        // unmapped columns of coupled rows stay as each side had them
        assertThat(image(crm, "select id, notes, '' from account where id between 4 and 6").values())
                .containsOnly("crm only column|");
        assertThat(image(erp, "select no, internal, '' from customer where no between 4 and 6").values())
                .containsOnly("erp only column|");

        FirstSync intoCrm = applies.get(crmName).firstSync().get(map);
        FirstSync intoErp = applies.get(erpName).firstSync().get(map);
        log.info("first sync of map {}: into the CRM {}, into the ERP {}", map, intoCrm, intoErp);
        assertThat(intoCrm.created()).isEqualTo(3);
        assertThat(intoErp.created()).isEqualTo(3);
        // a coupled row is counted where a change met it: the filter drops the second side's equal image
        // as an echo when the first one reached it first, and a losing side's change goes nowhere
        assertThat(intoCrm.matched() + intoErp.matched()).isBetween(3L, 6L);
        assertThat(intoCrm.differing()).isEqualTo(4);
        assertThat(intoErp.differing()).isBetween(0L, 4L);
        assertThat(intoCrm.failed() + intoErp.failed()).isZero();
    }

    private static Map<String, String> image(Connection c, String sql) throws SQLException {
        Map<String, String> rows = new TreeMap<>();
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            while (rs.next()) {
                rows.put(rs.getString(1), rs.getString(2) + "|" + rs.getString(3));
            }
        }
        return rows;
    }
}
