package io.dualsync.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dualsync.capture.CaptureOptions;
import io.dualsync.launcher.DualsyncCommand;
import io.dualsync.launcher.Pipeline;
import io.dualsync.launcher.ServiceHost;
import io.dualsync.launcher.Startup;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static io.dualsync.it.Sql.exec;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code dualsync verify} against a pipeline's real result: a one-way map with a prefixed key, a
 * value map, a row filter and a company filter syncs PostgreSQL to PostgreSQL; verify then finds
 * both sides in sync (exit 0), and after differences are made by hand on the target it reports
 * exactly those keys (exit 1) — but not a change to an unmapped column, nor source rows the
 * filters leave out. With the pipeline still running, {@code verify --repair} then has the missing
 * and differing rows read again through it, and {@code verify --wait} sees the sides in sync.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class VerifyIT {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path dir;

    static Connection source;
    static Connection target;
    static ServiceHost host;
    static Startup.Checked checked;
    static Path config;

    @BeforeAll
    static void syncThroughThePipeline() throws Exception {
        var infra = SharedInfrastructure.get();
        String sourceUrl = infra.postgres().createDatabase("verify_crm");
        String targetUrl = infra.postgres().createDatabase("verify_erp");
        source = DriverManager.getConnection(sourceUrl, infra.postgres().user(), null);
        target = DriverManager.getConnection(targetUrl, infra.postgres().user(), null);
        exec(source, """
                create table account (
                  id serial primary key, code varchar(20) not null unique, kind text not null, company text,
                  name text, credit numeric(38,10), seen_at timestamptz, status text, secret text)""");
        exec(target, "create schema sales");
        exec(target, """
                create table sales.customer (
                  no varchar(30) primary key, name text, credit numeric(38,10), seen timestamptz, blocked text, note text)""");
        exec(source, """
                insert into account (code, kind, company, name, credit, seen_at, status, secret) values
                  ('K-1', 'customer', 'US', 'Grüße 👋🏽 東京', 9999999999999999999999999999.9999999999, '2024-02-29T23:59:59.999999Z', 'active', 's'),
                  ('K-2', 'customer', 'US', 'two', 0.0000000001, '1970-01-01T00:00:00Z', 'active', null),
                  ('K-3', 'customer', 'US', '', -42.5, null, 'inactive', null),
                  ('K-4', 'customer', 'US', null, null, '2038-01-19T03:14:07.000001Z', 'active', null),
                  ('K-5', 'customer', 'US', 'five', 5, now(), 'inactive', null),
                  ('P-1', 'prospect', 'US', 'filtered by kind', 1, null, 'active', null),
                  ('D-1', 'customer', 'DE', 'filtered by company', 1, null, 'active', null)""");

        config = Files.writeString(dir.resolve("verify.yaml"), """
                kafka: { bootstrap: "%s", applicationId: it-verifyit }
                registry: { url: "%s" }
                endpoints:
                  vcrm: { kind: postgres, url: "%s", user: %s }
                  verp: { kind: postgres, url: "%s", user: %s }
                maps:
                  - name: customers
                    a: vcrm.public.account
                    b: verp.sales.customer
                    direction: a-to-b
                    key: [ { a: code, b: no } ]
                    fields:
                      - { a: code,    b: no, toB: { prefix: "C-" } }
                      - { a: name,    b: name }
                      - { a: credit,  b: credit }
                      - { a: seen_at, b: seen }
                      - { a: status,  b: blocked, values: { active: "", inactive: "all" } }
                    filter: { a: "kind = 'customer'" }
                    companies: { a: company, include: [ "US" ] }
                """.formatted(infra.kafka().bootstrapServers(), infra.registry().url(),
                sourceUrl, infra.postgres().user(), targetUrl, infra.postgres().user()));
        checked = Startup.loadAndCheck(config);
        host = new ServiceHost();
        new Pipeline(checked, host).startAll(CaptureOptions.defaults().withPollInterval(Duration.ofMillis(20)));
        await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(200))
                .until(() -> count("select count(*) from sales.customer") == 5);
        assertThat(host.firstFailure()).isEmpty();
        // the pipeline keeps running (the map is one-way: hand-made changes on the target stay) for --repair
    }

    @AfterAll
    static void stop() throws Exception {
        PipelineTeardown.stop(host, checked, List.of("vcrm"), source, target);
    }

    @Test
    @Order(1)
    void shouldFindTheSidesInSyncAfterThePipelineSyncedThem() throws Exception {
        Run run = verify("--map", "customers", "--json");
        assertThat(run.exitCode).as(run.output).isZero();
        JsonNode direction = JSON.readTree(run.output).get("directions").get(0);
        assertThat(direction.get("direction").asText()).isEqualTo("a-to-b");
        assertThat(direction.get("sourceRowsInScope").asLong()).isEqualTo(5);
        assertThat(direction.get("sourceRowsOutOfScope").asLong()).isEqualTo(2);
        assertThat(direction.get("targetRows").asLong()).isEqualTo(5);
        assertThat(direction.get("matching").asLong()).isEqualTo(5);
    }

    @Test
    @Order(2)
    void shouldReportExactlyTheRowsChangedByHandOnTheTarget() throws Exception {
        exec(target, "delete from sales.customer where no = 'C-K-1'");
        exec(target, "update sales.customer set credit = credit + 1 where no = 'C-K-2'");
        exec(target, "update sales.customer set blocked = '' where no = 'C-K-3'");
        exec(target, "update sales.customer set note = 'only the ERP has this column' where no = 'C-K-4'");
        exec(target, "insert into sales.customer (no, name) values ('C-X-9', 'nobody mapped this')");
        exec(target, "insert into sales.customer (no, name) values ('C-P-1', 'its source row is out of scope')");

        // small chunks and buckets, so that pagination and several buckets are exercised
        Run run = verify("--all", "--json", "--chunk-size", "2", "--bucket-rows", "2");
        assertThat(run.exitCode).as(run.output).isEqualTo(1);
        JsonNode direction = JSON.readTree(run.output).get("directions").get(0);
        JsonNode differences = direction.get("differences");
        assertThat(targetKeys(differences.get("missingOnTarget"))).containsExactly("[\"C-K-1\"]");
        assertThat(sourceKeys(differences.get("missingOnTarget"))).containsExactly("[\"K-1\"]");
        assertThat(targetKeys(differences.get("differing"))).containsExactlyInAnyOrder("[\"C-K-2\"]", "[\"C-K-3\"]");
        assertThat(targetKeys(differences.get("extraOnTarget"))).containsExactly("[\"C-X-9\"]");
        assertThat(differences.get("unmappable").get("count").asLong()).isZero();
        assertThat(direction.get("matching").asLong()).isEqualTo(2);
        assertThat(direction.get("targetRowsNotExpected").asLong()).isEqualTo(1);
    }

    @Test
    @Order(3)
    void shouldShowTheDifferingColumnsValuesOnlyWhenAsked() {
        Run plain = verify("--map", "customers");
        assertThat(plain.exitCode).isEqualTo(1);
        assertThat(plain.output).contains("missing on target: 1", "differing: 2", "extra on target: 1", "target key [\"C-K-2\"]")
                .doesNotContain("0.0000000001");

        Run withValues = verify("--map", "customers", "--show-values");
        assertThat(withValues.exitCode).isEqualTo(1);
        assertThat(withValues.output)
                .contains("credit: source maps to '0.0000000001', target holds '1.0000000001'")
                .contains("blocked: source maps to 'all', target holds ''")
                .doesNotContain("note:");
    }

    @Test
    @Order(4)
    void shouldRefuseAnUnknownMapWithExitCodeTwo() {
        Run run = verify("--map", "nosuch");
        assertThat(run.exitCode).isEqualTo(2);
        assertThat(run.errors).contains("no map named 'nosuch'");
        assertThat(verify().exitCode).isEqualTo(2);
    }

    @Test
    @Order(5)
    void shouldRepairExactlyTheMissingAndDifferingRowsThroughTheRunningPipeline() throws Exception {
        long inSyncRow = xmin("C-K-5");
        long unmappedChangeRow = xmin("C-K-4");

        // 3 keys (C-K-1 missing, C-K-2 and C-K-3 differing) at 2 keys a signal: 2 signals
        Run repair = verify("--map", "customers", "--repair", "--keys-per-signal", "2");
        assertThat(repair.exitCode).as(repair.output + repair.errors).isEqualTo(1);
        assertThat(repair.output)
                .contains("customers a-to-b: 3 rows (missing on target and differing) requested again from vcrm.public.account in 2 signal(s)")
                .contains("1 rows not repaired (extra on target: delete by hand or via deletes policy)")
                .containsPattern("signal dualsync-resync-[0-9a-f-]{36}");

        // the extra row is the operator's to delete, as the report says
        exec(target, "delete from sales.customer where no = 'C-X-9'");
        Run waited = verify("--map", "customers", "--wait", "180");
        assertThat(waited.exitCode).as(waited.output + waited.errors).isZero();

        assertThat(text("select credit::text from sales.customer where no = 'C-K-2'")).isEqualTo("0.0000000001");
        assertThat(text("select blocked from sales.customer where no = 'C-K-3'")).isEqualTo("all");
        assertThat(text("select name from sales.customer where no = 'C-K-1'")).isEqualTo("Grüße 👋🏽 東京");
        // rows that were in sync were not read again, so not rewritten: same row version, unmapped column kept
        assertThat(xmin("C-K-5")).isEqualTo(inSyncRow);
        assertThat(xmin("C-K-4")).isEqualTo(unmappedChangeRow);
        assertThat(text("select note from sales.customer where no = 'C-K-4'")).isEqualTo("only the ERP has this column");
        assertThat(host.firstFailure()).isEmpty();
    }

    @Test
    @Order(6)
    void shouldSayThereIsNothingToRepairWhenInSync() {
        Run run = verify("--map", "customers", "--repair", "--json");
        assertThat(run.exitCode).as(run.output + run.errors).isZero();
        assertThat(run.output).contains("\"repair\" : [ ]");
    }

    private static long xmin(String no) throws SQLException {
        return Long.parseLong(text("select xmin::text from sales.customer where no = '" + no + "'"));
    }

    private static String text(String sql) throws SQLException {
        try (Statement s = target.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            assertThat(rs.next()).as(sql).isTrue();
            return rs.getString(1);
        }
    }

    private static List<String> targetKeys(JsonNode category) {
        List<String> keys = new ArrayList<>();
        category.get("keys").forEach(k -> keys.add(k.get("targetKey").asText()));
        return keys;
    }

    private static List<String> sourceKeys(JsonNode category) {
        List<String> keys = new ArrayList<>();
        category.get("keys").forEach(k -> keys.add(k.get("sourceKey").asText()));
        return keys;
    }

    private record Run(int exitCode, String output, String errors) {
    }

    private static Run verify(String... options) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        List<String> args = new ArrayList<>(List.of("verify", "--config", config.toString()));
        args.addAll(List.of(options));
        int code = DualsyncCommand.commandLine().setOut(new PrintWriter(out)).setErr(new PrintWriter(err))
                .execute(args.toArray(String[]::new));
        return new Run(code, out.toString(), err.toString());
    }

    private static long count(String sql) throws SQLException {
        return Sql.count(target, sql);
    }
}
