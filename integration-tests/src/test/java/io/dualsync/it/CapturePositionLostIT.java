package io.dualsync.it;

import io.dualsync.capture.CaptureOptions;
import io.dualsync.capture.CaptureService;
import io.dualsync.contract.Topics;
import io.dualsync.launcher.Pipeline;
import io.dualsync.launcher.ServiceHost;
import io.dualsync.launcher.Startup;
import io.dualsync.synclog.SyncLog;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static io.dualsync.it.Sql.exec;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Capture that lost its position takes its first snapshot again (Debezium's {@code initial} mode
 * with no committed offset: a capture killed before its first offset commit, or an offsets topic
 * deleted). That snapshot reads the rows dualsync wrote into each side, in their state of that
 * moment, while newer changes of the other side may still be on their way to them. Found by the
 * crash harness (a capture killed a second after its first snapshot): those stale reads went back
 * as the side's own changes, overwrote newer rows on the other side and brought deleted ones back.
 *
 * <p>Here the position is lost on purpose, deterministically: apply is stopped while both sides
 * change their own rows (the changes wait in the mapped topics), capture is stopped, its offsets
 * topics are deleted, and it starts again. Both sides must end with every user change and nothing
 * older, with no dead letter.
 */
class CapturePositionLostIT {

    @TempDir
    static Path dir;

    static Connection crm;
    static Connection erp;
    static String crmName;
    static String erpName;
    static String map;
    static Startup.Checked checked;
    static final ServiceHost transformHost = new ServiceHost();
    static ServiceHost captureHost = new ServiceHost();
    static ServiceHost applyHost = new ServiceHost();
    static final MeterRegistry meters = new SimpleMeterRegistry();

    @BeforeAll
    static void start() throws Exception {
        var infra = SharedInfrastructure.get();
        crmName = SharedInfrastructure.uniqueName("lostcrm");
        erpName = SharedInfrastructure.uniqueName("losterp");
        map = SharedInfrastructure.uniqueName("contacts");
        String crmUrl = infra.postgres().createDatabase(crmName);
        String erpUrl = infra.postgres().createDatabase(erpName);
        crm = DriverManager.getConnection(crmUrl, infra.postgres().user(), null);
        erp = DriverManager.getConnection(erpUrl, infra.postgres().user(), null);
        for (Connection c : List.of(crm, erp)) {
            exec(c, "create table contact (id int primary key, name text not null)");
        }
        Path config = Files.writeString(dir.resolve("lost.yaml"), """
                kafka: { bootstrap: "%s", applicationId: it-capturepositionlostit }
                registry: { url: "%s" }
                endpoints:
                  %s: { kind: postgres, url: "%s", user: %s }
                  %s: { kind: postgres, url: "%s", user: %s }
                maps:
                  - name: %s
                    a: %s.public.contact
                    b: %s.public.contact
                    direction: bidirectional
                    key: [ { a: id, b: id } ]
                    fields:
                      - { a: id,   b: id }
                      - { a: name, b: name }
                    deletes: delete
                """.formatted(infra.kafka().bootstrapServers(), infra.registry().url(),
                crmName, crmUrl, infra.postgres().user(), erpName, erpUrl, infra.postgres().user(),
                map, crmName, erpName));
        checked = Startup.loadAndCheck(config);
        pipeline(applyHost).startApply();
        pipeline(transformHost).startTransform();
        pipeline(captureHost).startCapture(CaptureOptions.defaults().withPollInterval(Duration.ofMillis(20)));
    }

    private static Pipeline pipeline(ServiceHost host) {
        return new Pipeline(checked, host, meters, SyncLog.inMemory(meters));
    }

    @AfterAll
    static void stop() throws Exception {
        try {
            applyHost.close();
            captureHost.close();
        } finally {
            PipelineTeardown.stop(transformHost, checked, List.of(crmName, erpName), crm, erp);
        }
    }

    @Test
    void shouldKeepEveryNewerChangeWhenCaptureTakesItsFirstSnapshotAgain() throws Exception {
        // each side's users own a key range: the CRM 1-20, the ERP 101-110
        exec(crm, "insert into contact select g, 'crm v1 ' || g from generate_series(1, 20) g");
        exec(erp, "insert into contact select g, 'erp v1 ' || g from generate_series(101, 110) g");
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            assertThat(rows(erp)).hasSize(30);
            assertThat(rows(crm)).isEqualTo(rows(erp));
        });

        // apply stops: what both sides' users change now waits in the mapped topics
        applyHost.close();
        exec(crm, "update contact set name = 'crm v2 ' || id where id between 6 and 20");
        exec(crm, "delete from contact where id between 1 and 5");
        exec(erp, "update contact set name = 'erp v2 ' || id where id between 101 and 105");
        exec(erp, "delete from contact where id between 106 and 107");
        await().atMost(Duration.ofSeconds(60)).until(() -> rawRecords(crmName) >= 20 + 20 + 10
                && rawRecords(erpName) >= 10 + 7 + 20 && transformLag() == 0);

        // capture stops and loses its position; apply writes what was on its way (no capture sees it)
        captureHost.close();
        try (Admin admin = admin()) {
            admin.deleteTopics(List.of(Topics.captureOffsets(crmName), Topics.captureOffsets(erpName))).all().get();
            await().atMost(Duration.ofSeconds(30)).until(() -> !admin.listTopics().names().get()
                    .contains(Topics.captureOffsets(crmName)));
        }
        applyHost = new ServiceHost();
        pipeline(applyHost).startApply();
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(rows(erp)).isEqualTo(rows(crm)));
        applyHost.close();
        // and the users go on while capture is down
        exec(crm, "update contact set name = 'crm v3 ' || id where id between 11 and 20");
        exec(erp, "update contact set name = 'erp v3 ' || id where id between 101 and 103");
        Map<Integer, String> expected = new TreeMap<>(rows(crm));
        expected.keySet().removeIf(id -> id > 100);
        rows(erp).forEach((id, name) -> {
            if (id > 100) {
                expected.put(id, name);
            }
        });

        // capture starts again and snapshots both sides, the CRM first: its reads of rows 11-20 go to the
        // ERP, whose reads of them (the older version apply wrote) must not go back
        long crmBefore = rawRecords(crmName);
        captureHost = new ServiceHost();
        startCapture(crmName);
        await().atMost(Duration.ofSeconds(60)).until(() -> rawRecords(crmName) >= crmBefore + 23 && transformLag() == 0);
        long erpBefore = rawRecords(erpName);
        startCapture(erpName);
        await().atMost(Duration.ofSeconds(60)).until(() -> rawRecords(erpName) >= erpBefore + 23 && transformLag() == 0);
        assertThat(suppressed("stale-read")).isEqualTo(10);

        applyHost = new ServiceHost();
        pipeline(applyHost).startApply();
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            assertThat(transformHost.firstFailure()).isEmpty();
            assertThat(rows(crm)).isEqualTo(expected);
            assertThat(rows(erp)).isEqualTo(expected);
        });
        // settled, and stays so: nothing older arrives later, nothing went to the dead-letter topics
        Thread.sleep(3_000);
        assertThat(rows(crm)).isEqualTo(expected);
        assertThat(rows(erp)).isEqualTo(expected);
        assertThat(deadLetters()).isZero();
    }

    private static void startCapture(String endpoint) {
        CaptureService capture = new CaptureService(checked.config(), endpoint,
                CaptureOptions.defaults().withPollInterval(Duration.ofMillis(20)));
        capture.start();
        captureHost.add(new ServiceHost.Hosted("capture[" + endpoint + "]", capture, capture::failure));
    }

    private static Map<Integer, String> rows(Connection c) throws SQLException {
        Map<Integer, String> rows = new TreeMap<>();
        try (Statement s = c.createStatement(); ResultSet r = s.executeQuery("select id, name from contact")) {
            while (r.next()) {
                rows.put(r.getInt(1), r.getString(2));
            }
        }
        return rows;
    }

    private static double suppressed(String reason) {
        return meters.find("dualsync.transform.suppressed").tag("map", map).tag("reason", reason).counters().stream()
                .mapToDouble(c -> c.count()).sum();
    }

    /** Records in the raw topic of an endpoint's contact table (capture's topics are not transactional: one offset, one record). */
    private static long rawRecords(String endpoint) throws Exception {
        return sumOfEndOffsets(List.of(Topics.rawPrefix(endpoint) + ".public.contact"));
    }

    /** How many records of its input topics the transform has yet to process (with its own topics in between). */
    private static long transformLag() throws Exception {
        try (Admin admin = admin()) {
            Map<TopicPartition, org.apache.kafka.clients.consumer.OffsetAndMetadata> committed = admin
                    .listConsumerGroupOffsets(checked.config().kafka().transformApplicationId())
                    .partitionsToOffsetAndMetadata().get();
            if (committed.isEmpty()) {
                return Long.MAX_VALUE;
            }
            Map<TopicPartition, OffsetSpec> ends = new java.util.HashMap<>();
            committed.keySet().forEach(tp -> ends.put(tp, OffsetSpec.latest()));
            var endOffsets = admin.listOffsets(ends).all().get();
            // the transform's own topics are written in transactions: their end may be a commit marker
            return committed.entrySet().stream()
                    .mapToLong(e -> Math.max(0, endOffsets.get(e.getKey()).offset() - e.getValue().offset()
                            - (e.getKey().topic().startsWith(Topics.PREFIX + ".raw.") ? 0 : 1)))
                    .sum();
        }
    }

    private static long sumOfEndOffsets(List<String> topics) throws Exception {
        return TopicOffsets.endOffsets(SharedInfrastructure.get().kafka().bootstrapServers(), topics);
    }

    private static long deadLetters() throws Exception {
        return sumOfEndOffsets(List.of(Topics.deadLetter(crmName), Topics.deadLetter(erpName)));
    }

    private static Admin admin() {
        return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                SharedInfrastructure.get().kafka().bootstrapServers()));
    }
}
