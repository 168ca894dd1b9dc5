package io.dualsync.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dualsync.capture.CaptureOptions;
import io.dualsync.capture.CaptureService;
import io.dualsync.launcher.DualsyncCommand;
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
import java.util.List;

import static io.dualsync.it.Sql.exec;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code dualsync verify} from PostgreSQL to a MariaDB target synced by the pipeline: the values
 * verify expects (read from PostgreSQL, mapped by transform's rules) and those it reads from
 * MariaDB agree for decimals with every digit, 4-byte UTF-8 text, instants into a MariaDB
 * TIMESTAMP and into a DATETIME in the endpoint's zone, zone-less timestamps, dates, booleans,
 * UUIDs native and as text, and a composite key; a changed mapped column is then reported.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class VerifyMariaDbIT {

    private static final String SOURCE = "vm_crm";
    private static final String TARGET = "vm_erp";

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
        EmbeddedMariaDb mariadb = infra.mariadb();
        String sourceUrl = infra.postgres().createDatabase(SharedInfrastructure.uniqueName("vm_crm"));
        String targetDatabase = SharedInfrastructure.uniqueName("vm_erp");
        String targetUrl = mariadb.createDatabase(targetDatabase);
        source = DriverManager.getConnection(sourceUrl, infra.postgres().user(), null);
        target = DriverManager.getConnection(targetUrl, mariadb.user(), mariadb.password());
        exec(source, """
                create table line (
                  doc text not null, pos int not null, amount numeric(38,10), label text, at timestamptz,
                  at_local timestamptz, wall timestamp, day date, done boolean, u uuid, u_text uuid,
                  primary key (doc, pos))""");
        exec(target, """
                CREATE TABLE line (
                  doc varchar(40) NOT NULL, pos int NOT NULL, amount decimal(38,10), label text, at timestamp(6) NULL,
                  at_local datetime(6), wall datetime(6), day date, done boolean, u uuid, u_text char(36),
                  PRIMARY KEY (doc, pos)) CHARACTER SET utf8mb4""");
        exec(source, """
                insert into line values
                  ('D-1', 1, 9999999999999999999999999999.9999999999, 'Grüße 👋🏽 東京 𝄞', '2024-02-29T23:59:59.999999Z',
                   '2024-10-27T00:30:00Z', '2024-03-31T02:30:00', '2024-02-29', true,
                   'ffffffff-ffff-4fff-bfff-ffffffffffff', 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11'),
                  ('D-1', 2, -0.0000000001, '', '1970-01-01T00:00:01Z', '1999-12-31T23:00:00Z', '1900-01-01T00:00:00.000001',
                   '1999-12-31', false, '00000000-0000-0000-0000-000000000000', '00000000-0000-0000-0000-000000000001'),
                  ('D-2', 1, null, null, null, null, null, null, null, null, null)""");
        Path password = Files.writeString(dir.resolve("mariadb.password"), mariadb.password());
        config = Files.writeString(dir.resolve("verify-maria.yaml"), """
                kafka: { bootstrap: "%s", applicationId: it-verifymariadbit }
                registry: { url: "%s" }
                endpoints:
                  %s: { kind: postgres, url: "%s", user: %s }
                  %s: { kind: mariadb, url: "%s", user: %s, passwordFile: "%s", serverId: 4253, timezone: Europe/Berlin }
                maps:
                  - name: lines
                    a: %s.public.line
                    b: %s.%s.line
                    direction: a-to-b
                    key: [ { a: doc, b: doc }, { a: pos, b: pos } ]
                    fields:
                      - { a: doc, b: doc, toB: { prefix: "X-" } }
                      - { a: amount, b: amount }
                      - { a: label, b: label }
                      - { a: at, b: at }
                      - { a: at_local, b: at_local }
                      - { a: wall, b: wall }
                      - { a: day, b: day }
                      - { a: done, b: done }
                      - { a: u, b: u }
                      - { a: u_text, b: u_text }
                """.formatted(infra.kafka().bootstrapServers(), infra.registry().url(),
                SOURCE, sourceUrl, infra.postgres().user(), TARGET, targetUrl, mariadb.user(), password,
                SOURCE, TARGET, targetDatabase));
        checked = Startup.loadAndCheck(config);
        host = new ServiceHost();
        new Pipeline(checked, host).startAll(CaptureOptions.defaults().withPollInterval(Duration.ofMillis(20)));
        await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(200))
                .until(() -> count("SELECT count(*) FROM line") == 3);
        assertThat(host.firstFailure()).isEmpty();
        host.close();
        host = null;
        CaptureService.dropSlotAndPublication(checked.config().endpoint(SOURCE));
    }

    @AfterAll
    static void stop() throws Exception {
        PipelineTeardown.stop(host, checked, List.of(SOURCE), source, target);
    }

    @Test
    @Order(1)
    void shouldFindAMariaDbTargetInSyncWithItsPostgresSourceAfterThePipelineSyncedIt() throws Exception {
        StringWriter out = new StringWriter();
        int code = verify(out, "--all", "--json", "--chunk-size", "1");
        JsonNode direction = new ObjectMapper().readTree(out.toString()).get("directions").get(0);
        assertThat(code).as(out.toString()).isZero();
        assertThat(direction.get("matching").asLong()).isEqualTo(3);
    }

    @Test
    @Order(2)
    void shouldReportAChangedMappedColumnOnTheMariaDbTarget() throws Exception {
        exec(target, "UPDATE line SET at_local = at_local + INTERVAL 1 MICROSECOND WHERE doc = 'X-D-1' AND pos = 2");
        StringWriter out = new StringWriter();
        int code = verify(out, "--all", "--json");
        assertThat(code).as(out.toString()).isEqualTo(1);
        JsonNode differing = new ObjectMapper().readTree(out.toString()).get("directions").get(0)
                .get("differences").get("differing");
        assertThat(differing.get("count").asLong()).isEqualTo(1);
        assertThat(differing.get("keys").get(0).get("targetKey").asText()).isEqualTo("[\"X-D-1\",\"2\"]");
        assertThat(differing.get("keys").get(0).get("sourceKey").asText()).isEqualTo("[\"D-1\",\"2\"]");
    }

    private static int verify(StringWriter out, String... options) {
        String[] args = new String[options.length + 3];
        args[0] = "verify";
        args[1] = "--config";
        args[2] = config.toString();
        System.arraycopy(options, 0, args, 3, options.length);
        return DualsyncCommand.commandLine().setOut(new PrintWriter(out)).setErr(new PrintWriter(out)).execute(args);
    }

    private static long count(String sql) throws SQLException {
        return Sql.count(target, sql);
    }
}
