package io.dualsync.it;

import io.dualsync.capture.CaptureOptions;
import io.dualsync.contract.Headers;
import io.dualsync.contract.Topics;
import io.dualsync.launcher.Pipeline;
import io.dualsync.launcher.ServiceHost;
import io.dualsync.launcher.Startup;
import io.dualsync.transform.TransformService;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;

import static io.dualsync.it.Sql.exec;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Concurrent edits of the same rows on both sides of bidirectional maps between two real
 * PostgreSQL databases, one map per conflict policy ({@code fail}, {@code crm-wins},
 * {@code erp-wins}, {@code latest-wins}) in one pipeline: two threads rewrite every row of every
 * map at the same time, round after round. Every map but the {@code fail} one must end with both
 * sides equal, column by column; the {@code fail} map's conflicts must be in the dead-letter
 * topics with both versions. Then a manual script rewrites synced values on the ERP as they are:
 * nothing may travel back.
 */
class ConflictConvergenceIT {

    private static final Logger log = LoggerFactory.getLogger(ConflictConvergenceIT.class);
    private static final int ROWS = Integer.getInteger("dualsync.conflicts.rows", 40);
    private static final int ROUNDS = Integer.getInteger("dualsync.conflicts.rounds", 3);
    private static final List<String> POLICIES = List.of("fail", "crm-wins", "erp-wins", "latest-wins");

    @TempDir
    static Path dir;

    static Connection crm;
    static Connection erp;
    static ServiceHost host;
    static Startup.Checked checked;
    static String crmName;
    static String erpName;
    static String prefix;
    static final MeterRegistry transformMeters = new SimpleMeterRegistry();

    @BeforeAll
    static void start() throws Exception {
        var infra = SharedInfrastructure.get();
        crmName = SharedInfrastructure.uniqueName("ccrm");
        erpName = SharedInfrastructure.uniqueName("cerp");
        prefix = SharedInfrastructure.uniqueName("c");
        String crmUrl = infra.postgres().createDatabase(crmName);
        String erpUrl = infra.postgres().createDatabase(erpName);
        crm = DriverManager.getConnection(crmUrl, infra.postgres().user(), null);
        erp = DriverManager.getConnection(erpUrl, infra.postgres().user(), null);
        StringBuilder maps = new StringBuilder();
        for (String policy : POLICIES) {
            String table = table(policy);
            exec(crm, "create table account_" + table + " (id int primary key, name text, credit numeric(38,10), notes text)");
            exec(erp, "create table customer_" + table + " (no int primary key, name text, credit numeric(38,10), internal text)");
            try (PreparedStatement s = crm.prepareStatement("insert into account_" + table + " values (?, ?, ?, 'unmapped')")) {
                for (int i = 0; i < ROWS; i++) {
                    s.setInt(1, i);
                    s.setString(2, "name " + i);
                    s.setBigDecimal(3, new BigDecimal(i + ".0000000001"));
                    s.addBatch();
                }
                s.executeBatch();
            }
            maps.append("""
                      - name: %s
                        a: %s.public.account_%s
                        b: %s.public.customer_%s
                        direction: bidirectional
                        key: [ { a: id, b: no } ]
                        fields:
                          - { a: name,   b: name }
                          - { a: credit, b: credit }
                        conflicts: %s
                    """.formatted(mapName(policy), crmName, table, erpName, table,
                    policy.replace("crm-", crmName + "-").replace("erp-", erpName + "-")));
        }
        Path config = Files.writeString(dir.resolve("conflicts.yaml"), """
                kafka: { bootstrap: "%s", applicationId: it-conflictconvergenceit }
                registry: { url: "%s" }
                endpoints:
                  %s: { kind: postgres, url: "%s", user: %s }
                  %s: { kind: postgres, url: "%s", user: %s }
                maps:
                %s""".formatted(infra.kafka().bootstrapServers(), infra.registry().url(),
                crmName, crmUrl, infra.postgres().user(), erpName, erpUrl, infra.postgres().user(), maps));
        checked = Startup.loadAndCheck(config);
        host = new ServiceHost();
        Pipeline pipeline = new Pipeline(checked, host);
        pipeline.startApply();
        TransformService transform = new TransformService(checked.config(), checked.catalog(), prefix, dir.resolve("streams"),
                transformMeters);
        transform.start();
        host.add(new ServiceHost.Hosted("transform", transform, transform::failure));
        pipeline.startCapture(CaptureOptions.defaults().withPollInterval(Duration.ofMillis(20)));
    }

    @AfterAll
    static void stop() throws Exception {
        PipelineTeardown.stop(host, checked, List.of(crmName, erpName), crm, erp);
    }

    @Test
    void shouldConvergeUnderEveryPolicyButFailAndDeadLetterTheConflictsOfFail() throws Exception {
        await().atMost(Duration.ofSeconds(120)).untilAsserted(() -> {
            assertThat(host.firstFailure()).isEmpty();
            for (String policy : POLICIES) {
                assertThat(erpImage(policy)).hasSize(ROWS);
            }
        });

        long started = System.nanoTime();
        for (int round = 0; round < ROUNDS; round++) {
            int r = round;
            CompletableFuture<Void> onCrm = CompletableFuture.runAsync(() -> editAll(crm, "account_", "id", "crm", r));
            CompletableFuture<Void> onErp = CompletableFuture.runAsync(() -> editAll(erp, "customer_", "no", "erp", r));
            CompletableFuture.allOf(onCrm, onErp).join();
            Thread.sleep(300); // let part of each round meet the next one in flight
        }
        long written = System.nanoTime();

        List<String> converging = POLICIES.stream().filter(p -> !p.equals("fail")).toList();
        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
            assertThat(host.firstFailure()).isEmpty();
            for (String policy : converging) {
                assertThat(crmImage(policy)).as("map %s, CRM vs ERP, column by column", policy).isEqualTo(erpImage(policy));
            }
        });
        long converged = System.nanoTime();
        Thread.sleep(3_000); // a late echo or a lost arbitration would show by now
        for (String policy : converging) {
            assertThat(crmImage(policy)).as("map %s, CRM vs ERP, column by column", policy).isEqualTo(erpImage(policy));
        }
        String last = Integer.toString(ROUNDS - 1);
        for (Map<String, String> row : crmImage("latest-wins").values()) {
            // the last round's edits are the latest commits of each side: one of them won
            assertThat(row.get("name")).matches("(crm|erp) " + last + " \\d+");
        }

        List<ConsumerRecord<byte[], byte[]>> deadLetters = new ArrayList<>(readAll(Topics.deadLetter(crmName)));
        deadLetters.addAll(readAll(Topics.deadLetter(erpName)));
        List<ConsumerRecord<byte[], byte[]>> conflicts = deadLetters.stream()
                .filter(r -> mapName("fail").equals(header(r, Headers.MAP))).toList();
        assertThat(deadLetters).as("only the fail map dead-letters").hasSameSizeAs(conflicts);
        assertThat(conflicts).isNotEmpty();
        for (ConsumerRecord<byte[], byte[]> r : conflicts) {
            assertThat(header(r, Headers.ERROR_CLASS)).isEqualTo(Headers.ERROR_CLASS_CONFLICT);
            assertThat(r.value()).as("the incoming version").isNotEmpty();
            assertThat(header(r, Headers.CONFLICT_TARGET_IMAGE)).as("the target's version").contains("\"name\"");
        }
        log.info("conflicts: {} rows x {} rounds edited concurrently on both sides in {} ms; crm-wins, erp-wins and "
                        + "latest-wins equal on both sides {} ms later; fail: {} conflicts dead-lettered; "
                        + "latest-wins arbitration lost by {} changes",
                ROWS, ROUNDS, (written - started) / 1_000_000, (converged - written) / 1_000_000, conflicts.size(),
                suppressed("latest-wins", "conflict-lost"));

        // a manual script on the ERP rewrites synced values as they are: capture marks it as a user change
        String latest = mapName("latest-wins");
        double stoppedBefore = suppressed("latest-wins", "unchanged") + suppressed("latest-wins", "echo");
        String crmVersion = scalar(crm, "select xmin::text from account_" + table("latest-wins") + " where id = 1");
        exec(erp, "update customer_" + table("latest-wins") + " set name = name, credit = credit where no = 1");
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(
                suppressed("latest-wins", "unchanged") + suppressed("latest-wins", "echo")).isGreaterThan(stoppedBefore));
        Thread.sleep(1_000);
        assertThat(scalar(crm, "select xmin::text from account_" + table("latest-wins") + " where id = 1"))
                .as("map %s: the CRM row was not rewritten", latest).isEqualTo(crmVersion);
    }

    private static void editAll(Connection c, String tablePrefix, String keyColumn, String side, int round) {
        try {
            for (String policy : POLICIES) {
                try (PreparedStatement s = c.prepareStatement("update " + tablePrefix + table(policy)
                        + " set name = ?, credit = ? where " + keyColumn + " = ?")) {
                    for (int i = 0; i < ROWS; i++) {
                        s.setString(1, side + " " + round + " " + i);
                        s.setBigDecimal(2, new BigDecimal((side.equals("crm") ? "1" : "2") + round + i + ".1234567891"));
                        s.setInt(3, i);
                        s.executeUpdate();
                    }
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String table(String policy) {
        return policy.replace("-", "_");
    }

    private static String mapName(String policy) {
        return prefix + "_" + table(policy);
    }

    private static double suppressed(String policy, String reason) {
        return transformMeters.find("dualsync.transform.suppressed").tag("map", mapName(policy)).tag("reason", reason)
                .counters().stream().mapToDouble(Counter::count).sum();
    }

    private static Map<String, Map<String, String>> crmImage(String policy) throws SQLException {
        return image(crm, "select id, name, credit::text as credit from account_" + table(policy));
    }

    private static Map<String, Map<String, String>> erpImage(String policy) throws SQLException {
        return image(erp, "select no, name, credit::text as credit from customer_" + table(policy));
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

    private static List<ConsumerRecord<byte[], byte[]>> readAll(String topic) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, SharedInfrastructure.get().kafka().bootstrapServers());
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            if (consumer.listTopics().get(topic) == null) {
                return records;
            }
            List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                    .map(p -> new TopicPartition(topic, p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            long deadline = System.currentTimeMillis() + 10_000;
            while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p)) && System.currentTimeMillis() < deadline) {
                consumer.poll(Duration.ofMillis(200)).forEach(records::add);
            }
        }
        return records;
    }

    private static String header(ConsumerRecord<byte[], byte[]> record, String name) {
        Header h = record.headers().lastHeader(name);
        return h == null || h.value() == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }

    private static String scalar(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getString(1);
        }
    }
}
