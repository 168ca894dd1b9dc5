package io.dualsync.it;

import io.dualsync.capture.CaptureOptions;
import io.dualsync.capture.ChangePublisher;
import io.dualsync.launcher.Pipeline;
import io.dualsync.launcher.ServiceHost;
import io.dualsync.launcher.Startup;
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
import java.util.Map;
import java.util.TreeMap;
import java.util.List;

import static io.dualsync.it.Sql.exec;
import static io.dualsync.it.Sql.count;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Ping-pong over a bidirectional map between two real PostgreSQL databases, through the real
 * broker and registry: many updates alternate between the CRM and the ERP side of one row set
 * (each side edits its own half of the rows, so no edit conflicts with another), with a prefix
 * added a-to-b (a transform that is not its own inverse). No write of dualsync may come back as
 * a user change (zero echoes), and both sides end equal.
 *
 * <p>Row and update counts: {@code -Ddualsync.pingpong.rows} (default 300) and
 * {@code -Ddualsync.pingpong.updates} (default 10,000).
 */
class PingPongIT {

    private static final Logger log = LoggerFactory.getLogger(PingPongIT.class);
    private static final int ROWS = Integer.getInteger("dualsync.pingpong.rows", 300);
    private static final int UPDATES = Integer.getInteger("dualsync.pingpong.updates", 10_000);

    @TempDir
    static Path dir;

    static Connection crm;
    static Connection erp;
    static ServiceHost host;
    static Startup.Checked checked;
    static String map;
    static String crmName;
    static String erpName;
    static final MeterRegistry captureMeters = new SimpleMeterRegistry();
    static final MeterRegistry transformMeters = new SimpleMeterRegistry();

    @BeforeAll
    static void start() throws Exception {
        var infra = SharedInfrastructure.get();
        crmName = SharedInfrastructure.uniqueName("crm");
        erpName = SharedInfrastructure.uniqueName("erp");
        map = SharedInfrastructure.uniqueName("customers");
        String crmUrl = infra.postgres().createDatabase(crmName);
        String erpUrl = infra.postgres().createDatabase(erpName);
        crm = DriverManager.getConnection(crmUrl, infra.postgres().user(), null);
        erp = DriverManager.getConnection(erpUrl, infra.postgres().user(), null);
        exec(crm, "create table account (id varchar(20) primary key, name text, credit numeric(38,10), notes text)");
        exec(erp, "create table customer (no varchar(22) primary key, name text, credit numeric(38,10), internal text)");
        try (PreparedStatement s = crm.prepareStatement("insert into account values (?, ?, ?, 'unmapped')")) {
            for (int i = 0; i < ROWS; i++) {
                s.setString(1, Integer.toString(i));
                s.setString(2, "name " + i);
                s.setBigDecimal(3, new BigDecimal(i + ".0000000001"));
                s.addBatch();
            }
            s.executeBatch();
        }
        Path config = Files.writeString(dir.resolve("pingpong.yaml"), """
                kafka: { bootstrap: "%s", applicationId: it-pingpongit }
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
                      - { a: id,     b: no, toB: { prefix: "C-" } }
                      - { a: name,   b: name }
                      - { a: credit, b: credit }
                """.formatted(infra.kafka().bootstrapServers(), infra.registry().url(),
                crmName, crmUrl, infra.postgres().user(), erpName, erpUrl, infra.postgres().user(),
                map, crmName, erpName));
        checked = Startup.loadAndCheck(config);
        host = new ServiceHost();
        Pipeline pipeline = new Pipeline(checked, host);
        pipeline.startApply();
        // its own application id and state directory: other test JVMs may run a transform on this machine
        TransformService transform = new TransformService(checked.config(), checked.catalog(), map, dir.resolve("streams"),
                transformMeters);
        transform.start();
        host.add(new ServiceHost.Hosted("transform", transform, transform::failure));
        pipeline.startCapture(CaptureOptions.defaults().withPollInterval(Duration.ofMillis(20)).withMeters(captureMeters));
    }

    @AfterAll
    static void stop() throws Exception {
        PipelineTeardown.stop(host, checked, List.of(crmName, erpName), crm, erp);
    }

    @Test
    void shouldApplyAlternatingUpdatesOfBothSidesWithoutEchoesAndEndEqual() throws Exception {
        await().atMost(Duration.ofSeconds(120)).untilAsserted(() -> {
            assertThat(host.firstFailure()).isEmpty();
            assertThat(count(erp, "select count(*) from customer")).isEqualTo(ROWS);
        });

        long started = System.nanoTime();
        try (PreparedStatement onCrm = crm.prepareStatement("update account set name = ?, credit = ? where id = ?");
             PreparedStatement onErp = erp.prepareStatement("update customer set name = ?, credit = ? where no = ?")) {
            for (int i = 0; i < UPDATES; i++) {
                // even rows belong to the CRM's users, odd rows to the ERP's: alternating sides, no conflicts
                boolean fromCrm = i % 2 == 0;
                int row = (fromCrm ? 2 * ((i / 2) % (ROWS / 2)) : 2 * ((i / 2) % (ROWS / 2)) + 1);
                PreparedStatement s = fromCrm ? onCrm : onErp;
                s.setString(1, (fromCrm ? "crm " : "erp ") + i + " ✓");
                s.setBigDecimal(2, new BigDecimal(i + ".1234567891"));
                s.setString(3, fromCrm ? Integer.toString(row) : "C-" + row);
                s.executeUpdate();
            }
        }
        long written = System.nanoTime();
        await().atMost(Duration.ofSeconds(300)).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
            assertThat(host.firstFailure()).isEmpty();
            assertThat(crmImage()).isEqualTo(erpImage());
            assertThat(published(crmName, "app")).isEqualTo(ROWS + UPDATES / 2);
            assertThat(published(erpName, "app")).isEqualTo(UPDATES - UPDATES / 2);
        });
        long converged = System.nanoTime();
        Thread.sleep(2_000); // anything echoing would show by now
        double echoesStopped = suppressed("echo");
        double markedSync = suppressed("origin-sync");
        log.info("ping-pong: {} rows, {} updates written in {} ms, both sides equal {} ms later; "
                        + "user changes published crm={} erp={}, sync changes published crm={} erp={}, "
                        + "suppressed in transform: origin-sync={}, echo={}",
                ROWS, UPDATES, (written - started) / 1_000_000, (converged - written) / 1_000_000,
                published(crmName, "app"), published(erpName, "app"), published(crmName, "sync"), published(erpName, "sync"),
                markedSync, echoesStopped);

        // zero echoes: every change the capture published as a user change is one the test made
        assertThat(published(crmName, "app")).isEqualTo(ROWS + UPDATES / 2);
        assertThat(published(erpName, "app")).isEqualTo(UPDATES - UPDATES / 2);
        assertThat(published(crmName, "sync") + published(erpName, "sync")).isEqualTo((long) markedSync);
        assertThat(echoesStopped).isZero();
        assertThat(crmImage()).isEqualTo(erpImage());
    }

    private static long published(String endpoint, String origin) {
        return (long) captureMeters.find(ChangePublisher.EVENTS_METER).tag("endpoint", endpoint).tag("origin", origin)
                .counters().stream().mapToDouble(Counter::count).sum();
    }

    private static double suppressed(String reason) {
        return transformMeters.find("dualsync.transform.suppressed").tag("map", map).tag("reason", reason)
                .counters().stream().mapToDouble(Counter::count).sum();
    }

    /** The CRM rows in ERP terms: key with the prefix, name, credit. */
    private static Map<String, String> crmImage() throws SQLException {
        return image(crm, "select 'C-' || id, name, credit::text from account");
    }

    private static Map<String, String> erpImage() throws SQLException {
        return image(erp, "select no, name, credit::text from customer");
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
