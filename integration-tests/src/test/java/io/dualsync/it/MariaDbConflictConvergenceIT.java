package io.dualsync.it;

import io.dualsync.capture.CaptureOptions;
import io.dualsync.contract.Topics;
import io.dualsync.launcher.Pipeline;
import io.dualsync.launcher.ServiceHost;
import io.dualsync.launcher.Startup;
import io.dualsync.launcher.infra.EmbeddedMariaDb;
import io.dualsync.transform.TransformService;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.List;

import static io.dualsync.it.Sql.exec;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Concurrent edits of the same rows on both sides of one bidirectional map between a real
 * PostgreSQL CRM and a real MariaDB ERP under {@code latest-wins}: two threads rewrite every row
 * at the same time, round after round; both sides must end equal, column by column, and stay
 * so, and nothing may reach the dead-letter topics. MariaDB's binlog gives commit times to the
 * second only, so many concurrent changes tie and the endpoint name breaks the tie: the filter
 * must still settle every one of them the same way on both sides.
 */
class MariaDbConflictConvergenceIT {

    private static final Logger log = LoggerFactory.getLogger(MariaDbConflictConvergenceIT.class);
    private static final int ROWS = 40;
    private static final int ROUNDS = 3;

    @TempDir
    static Path dir;

    static Connection crm;
    static Connection erp;
    static ServiceHost host;
    static Startup.Checked checked;
    static String crmName;
    static String erpName;
    static String map;
    static final MeterRegistry transformMeters = new SimpleMeterRegistry();

    @BeforeAll
    static void start() throws Exception {
        var infra = SharedInfrastructure.get();
        EmbeddedMariaDb mariadb = infra.mariadb();
        crmName = SharedInfrastructure.uniqueName("mccrm");
        erpName = SharedInfrastructure.uniqueName("mcerp");
        map = SharedInfrastructure.uniqueName("mconv");
        String crmUrl = infra.postgres().createDatabase(crmName);
        String erpUrl = mariadb.createDatabase(erpName);
        crm = DriverManager.getConnection(crmUrl, infra.postgres().user(), null);
        erp = DriverManager.getConnection(erpUrl, mariadb.user(), mariadb.password());
        exec(crm, "create table account (id int primary key, name text, credit numeric(38,10), notes text)");
        exec(erp, "CREATE TABLE customer (no INT PRIMARY KEY, name VARCHAR(100), credit DECIMAL(38,10), internal TEXT)"
                + " CHARACTER SET utf8mb4");
        try (PreparedStatement s = crm.prepareStatement("insert into account values (?, ?, ?, 'unmapped')")) {
            for (int i = 0; i < ROWS; i++) {
                s.setInt(1, i);
                s.setString(2, "name " + i);
                s.setBigDecimal(3, new BigDecimal(i + ".0000000001"));
                s.addBatch();
            }
            s.executeBatch();
        }
        Path password = Files.writeString(dir.resolve("mariadb.password"), mariadb.password());
        Path config = Files.writeString(dir.resolve("pg-maria-conflicts.yaml"), """
                kafka: { bootstrap: "%s", applicationId: it-mariadbconflictconvergenceit }
                registry: { url: "%s" }
                endpoints:
                  %s: { kind: postgres, url: "%s", user: %s }
                  %s: { kind: mariadb, url: "%s", user: %s, passwordFile: "%s", serverId: 9137 }
                maps:
                  - name: %s
                    a: %s.public.account
                    b: %s.%s.customer
                    direction: bidirectional
                    key: [ { a: id, b: no } ]
                    fields:
                      - { a: name,   b: name }
                      - { a: credit, b: credit }
                    conflicts: latest-wins
                """.formatted(infra.kafka().bootstrapServers(), infra.registry().url(),
                crmName, crmUrl, infra.postgres().user(), erpName, erpUrl, mariadb.user(), password,
                map, crmName, erpName, erpName));
        checked = Startup.loadAndCheck(config);
        host = new ServiceHost();
        Pipeline pipeline = new Pipeline(checked, host);
        pipeline.startApply();
        TransformService transform = new TransformService(checked.config(), checked.catalog(), map, dir.resolve("streams"),
                transformMeters);
        transform.start();
        host.add(new ServiceHost.Hosted("transform", transform, transform::failure));
        pipeline.startCapture(CaptureOptions.defaults().withPollInterval(Duration.ofMillis(20)));
    }

    @AfterAll
    static void stop() throws Exception {
        PipelineTeardown.stop(host, checked, List.of(crmName), crm, erp);
    }

    @Test
    void shouldConvergeUnderLatestWinsAfterConcurrentEditsOnPostgresAndMariaDb() throws Exception {
        await().atMost(Duration.ofSeconds(180)).untilAsserted(() -> {
            assertThat(host.firstFailure()).isEmpty();
            assertThat(erpImage()).hasSize(ROWS);
        });

        long started = System.nanoTime();
        for (int round = 0; round < ROUNDS; round++) {
            int r = round;
            CompletableFuture<Void> onCrm = CompletableFuture.runAsync(() -> editAll(crm, "account", "id", "crm", r));
            CompletableFuture<Void> onErp = CompletableFuture.runAsync(() -> editAll(erp, "customer", "no", "erp", r));
            CompletableFuture.allOf(onCrm, onErp).join();
            Thread.sleep(300); // let part of each round meet the next one in flight
        }
        long written = System.nanoTime();

        await().atMost(Duration.ofSeconds(150)).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
            assertThat(host.firstFailure()).isEmpty();
            assertThat(crmImage()).as("CRM vs ERP, column by column").isEqualTo(erpImage());
        });
        long converged = System.nanoTime();
        Thread.sleep(3_000); // a late echo or a lost arbitration would show by now
        assertThat(crmImage()).as("CRM vs ERP, column by column").isEqualTo(erpImage());
        assertThat(endOffset(Topics.deadLetter(crmName)) + endOffset(Topics.deadLetter(erpName))).as("dead letters").isZero();
        log.info("conflicts PostgreSQL <-> MariaDB: {} rows x {} rounds edited concurrently on both sides in {} ms; "
                        + "latest-wins equal on both sides {} ms later; arbitration lost by {} changes",
                ROWS, ROUNDS, (written - started) / 1_000_000, (converged - written) / 1_000_000,
                transformMeters.find("dualsync.transform.suppressed").tag("map", map).tag("reason", "conflict-lost")
                        .counters().stream().mapToDouble(Counter::count).sum());
    }

    private static void editAll(Connection c, String table, String keyColumn, String side, int round) {
        try (PreparedStatement s = c.prepareStatement("update " + table + " set name = ?, credit = ? where " + keyColumn + " = ?")) {
            for (int i = 0; i < ROWS; i++) {
                s.setString(1, side + " " + round + " " + i);
                s.setBigDecimal(2, new BigDecimal((side.equals("crm") ? "1" : "2") + round + i + ".1234567891"));
                s.setInt(3, i);
                s.executeUpdate();
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Map<String, Map<String, String>> crmImage() throws SQLException {
        return image(crm, "select id, name, credit::text as credit from account");
    }

    private static Map<String, Map<String, String>> erpImage() throws SQLException {
        return image(erp, "SELECT no, name, CAST(credit AS CHAR) AS credit FROM customer");
    }

    /** Row key to (column to text), for a column-by-column comparison. */
    private static Map<String, Map<String, String>> image(Connection c, String sql) throws SQLException {
        Map<String, Map<String, String>> rows = new TreeMap<>();
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            while (rs.next()) {
                Map<String, String> columns = new LinkedHashMap<>();
                columns.put("name", rs.getString("name"));
                columns.put("credit", rs.getString("credit"));
                rows.put(rs.getString(1), columns);
            }
        }
        return rows;
    }

    private static long endOffset(String topic) throws Exception {
        return TopicOffsets.endOffsets(SharedInfrastructure.get().kafka().bootstrapServers(), List.of(topic));
    }
}
