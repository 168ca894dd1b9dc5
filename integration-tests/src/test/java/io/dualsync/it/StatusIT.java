package io.dualsync.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dualsync.capture.CaptureOptions;
import io.dualsync.capture.CaptureService;
import io.dualsync.config.Endpoint;
import io.dualsync.contract.Topics;
import io.dualsync.launcher.DualsyncCommand;
import io.dualsync.launcher.Pipeline;
import io.dualsync.launcher.ServiceHost;
import io.dualsync.launcher.Startup;
import io.dualsync.launcher.observe.ProcessObservability;
import io.dualsync.synclog.Outcome;
import io.dualsync.synclog.SyncLogEntry;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

import static io.dualsync.it.Sql.exec;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The sync log, {@code dualsync status}, {@code /metrics} and {@code /health/ready} over a real
 * pipeline (PostgreSQL to PostgreSQL, real broker and registry): three inserts, an update, a
 * delete and a row the target rejects are counted exactly once each, in the sync-log topic, in
 * {@code status --json} and in the Prometheus metrics; readiness is 503 before the services
 * start, 200 while they run, and 503 once the target database refuses connections.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class StatusIT {

    private static final String MAP = SharedInfrastructure.uniqueName("status_items");
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @TempDir
    static Path dir;

    static String targetDatabase;
    static Connection source;
    static Connection target;
    static Path configFile;
    static Startup.Checked checked;
    static ProcessObservability observability;
    static ServiceHost host;

    @BeforeAll
    static void startObservabilityThenThePipeline() throws Exception {
        var infra = SharedInfrastructure.get();
        targetDatabase = SharedInfrastructure.uniqueName("status_target");
        String sourceUrl = infra.postgres().createDatabase(SharedInfrastructure.uniqueName("status_source"));
        String targetUrl = infra.postgres().createDatabase(targetDatabase);
        source = DriverManager.getConnection(sourceUrl, infra.postgres().user(), null);
        target = DriverManager.getConnection(targetUrl, infra.postgres().user(), null);
        exec(source, "create table item (code varchar(20) primary key, qty integer not null)");
        // the target refuses negative quantities: such a row goes to the dead-letter topic
        exec(target, "create table stock (code varchar(20) primary key, qty integer not null check (qty >= 0))");
        configFile = Files.writeString(dir.resolve("status.yaml"), """
                kafka: { bootstrap: "%s", applicationId: it-statusit }
                registry: { url: "%s" }
                observability: { port: 0, syncLogRetention: 3d }
                endpoints:
                  stshop:  { kind: postgres, url: "%s", user: %s }
                  ststore: { kind: postgres, url: "%s", user: %s }
                maps:
                  - name: %s
                    a: stshop.public.item
                    b: ststore.public.stock
                    direction: a-to-b
                    key: [ { a: code, b: code } ]
                    fields:
                      - { a: qty, b: qty }
                """.formatted(infra.kafka().bootstrapServers(), infra.registry().url(),
                sourceUrl, infra.postgres().user(), targetUrl, infra.postgres().user(), MAP));
        checked = Startup.loadAndCheck(configFile);
        host = new ServiceHost();
        List<Endpoint> databases = Pipeline.endpointsUsed(checked.config(), true, true).stream()
                .map(checked.config()::endpoint).toList();
        observability = ProcessObservability.start(checked.config(), 0, databases, host::firstFailure);
    }

    @AfterAll
    static void stop() throws Exception {
        if (source == null) {
            return;
        }
        try {
            admin("alter database " + targetDatabase + " with allow_connections true");
            closeServices();
            CaptureService.dropSlotAndPublication(checked.config().endpoint("stshop"));
        } finally {
            source.close();
            target.close();
        }
    }

    private static void closeServices() {
        if (host != null) {
            host.close();
            observability.close();
            host = null;
        }
    }

    @Test
    @Order(1)
    void shouldNotBeReadyBeforeTheServicesHaveStarted() throws Exception {
        assertThat(get("/health/live").statusCode()).isEqualTo(200);
        HttpResponse<String> ready = get("/health/ready");
        assertThat(ready.statusCode()).isEqualTo(503);
        assertThat(ready.body()).contains("\"services\":{\"status\":\"DOWN\",\"detail\":\"starting\"}");
    }

    @Test
    @Order(2)
    void shouldBeReadyWhileEverythingRuns() throws Exception {
        new Pipeline(checked, host, observability.meters(), observability.syncLog())
                .startAll(CaptureOptions.defaults().withPollInterval(Duration.ofMillis(20)));
        observability.markStarted();
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            HttpResponse<String> ready = get("/health/ready");
            assertThat(ready.statusCode()).as(ready.body()).isEqualTo(200);
            assertThat(ready.body()).contains("\"database[ststore]\":{\"status\":\"UP\"", "\"broker\":{\"status\":\"UP\"",
                    "\"registry\":{\"status\":\"UP\"");
        });
    }

    @Test
    @Order(3)
    void shouldApplyInsertsAnUpdateADeleteAndDeadLetterTheRejectedRow() throws Exception {
        // one step at a time, so that no change supersedes another inside one batch
        exec(source, "insert into item values ('K-1', 1), ('K-2', 2), ('K-3', 3)");
        awaitTarget("select count(*) from stock", 3);
        exec(source, "insert into item values ('BAD', -1)");
        exec(source, "update item set qty = 10 where code = 'K-1'");
        awaitTarget("select qty from stock where code = 'K-1'", 10);
        exec(source, "delete from item where code = 'K-2'");
        awaitTarget("select count(*) from stock", 2);
        assertThat(host.firstFailure()).isEmpty();
    }

    @Test
    @Order(4)
    void shouldExposeTheCountsAsPrometheusMetricsWithTheMapLabel() {
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            String metrics = get("/metrics").body();
            assertThat(sample(metrics, "dualsync_sync_changes_total", "inserted")).isEqualTo(3.0);
            assertThat(sample(metrics, "dualsync_sync_changes_total", "updated")).isEqualTo(1.0);
            assertThat(sample(metrics, "dualsync_sync_changes_total", "deleted")).isEqualTo(1.0);
            assertThat(sample(metrics, "dualsync_sync_changes_total", "failed")).isEqualTo(1.0);
            assertThat(metrics).containsPattern("dualsync_sync_latency_seconds_count\\{[^}]*map=\"" + MAP + "\"[^}]*} 5");
        });
    }

    @Test
    @Order(5)
    void shouldNotBeReadyOnceTheTargetDatabaseRefusesConnections() throws Exception {
        admin("alter database " + targetDatabase + " with allow_connections false");
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            HttpResponse<String> ready = get("/health/ready");
            assertThat(ready.statusCode()).isEqualTo(503);
            assertThat(ready.body()).contains("\"database[ststore]\":{\"status\":\"DOWN\"");
        });
        admin("alter database " + targetDatabase + " with allow_connections true");
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(get("/health/ready").statusCode()).isEqualTo(200));
    }

    @Test
    @Order(6)
    void shouldKeepInTheSyncLogExactlyWhatWasDone() {
        closeServices(); // publishes the current minute too

        Map<Outcome, Long> totals = new EnumMap<>(Outcome.class);
        for (SyncLogEntry e : syncLog()) {
            e.counts().forEach((o, n) -> totals.merge(o, n, Long::sum));
        }
        assertThat(totals).containsEntry(Outcome.INSERTED, 3L).containsEntry(Outcome.UPDATED, 1L)
                .containsEntry(Outcome.DELETED, 1L).containsEntry(Outcome.FAILED, 1L)
                .containsEntry(Outcome.DUPLICATE, 0L).containsEntry(Outcome.ECHO, 0L).containsEntry(Outcome.CONFLICT, 0L);
        assertThat(syncLog()).allSatisfy(e -> assertThat(e.service()).isIn("apply[ststore]", "transform"));
    }

    @Test
    @Order(7)
    void shouldReportTheTotalsDeadLettersAndLagInStatusJson() throws Exception {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = DualsyncCommand.commandLine();
        cli.setOut(new PrintWriter(out));
        cli.setErr(new PrintWriter(err));

        int exit = cli.execute("status", "--config", configFile.toString(), "--since", "1h", "--json");

        assertThat(exit).as(err.toString()).isZero();
        JsonNode status = new ObjectMapper().readTree(out.toString());
        JsonNode map = status.path("maps").get(0);
        assertThat(map.path("map").asText()).isEqualTo(MAP);
        assertThat(map.path("inserted").asLong()).isEqualTo(3);
        assertThat(map.path("updated").asLong()).isEqualTo(1);
        assertThat(map.path("deleted").asLong()).isEqualTo(1);
        assertThat(map.path("failed").asLong()).isEqualTo(1);
        assertThat(map.path("duplicates").asLong()).isZero();
        assertThat(map.path("latency").path("count").asLong()).isEqualTo(5);
        assertThat(map.path("latency").path("p99Ms").asLong()).isGreaterThanOrEqualTo(map.path("latency").path("p50Ms").asLong());
        JsonNode dead = status.path("deadLetters").get(0);
        assertThat(dead.path("target").asText()).isEqualTo("ststore");
        assertThat(dead.path("records").asLong()).isEqualTo(1);
        assertThat(dead.path("byMap").path(MAP).asLong()).isEqualTo(1);
        assertThat(status.path("consumerLag").findValuesAsText("group")).contains("it-statusit-apply-ststore", "it-statusit-transform");
    }

    @Test
    @Order(8)
    void shouldPrintAReadableTableAndFailClearlyWithoutABroker() throws Exception {
        StringWriter out = new StringWriter();
        CommandLine cli = DualsyncCommand.commandLine();
        cli.setOut(new PrintWriter(out));
        assertThat(cli.execute("status", "--config", configFile.toString())).isZero();
        assertThat(out.toString()).contains("MAP", "INSERTED", "P99_MS", MAP, "Dead letters", "Consumer lag");

        Path unreachable = Files.writeString(dir.resolve("nobroker.yaml"),
                Files.readString(configFile).replaceFirst("bootstrap: \"[^\"]+\"", "bootstrap: \"127.0.0.1:1\""));
        StringWriter err = new StringWriter();
        CommandLine offline = DualsyncCommand.commandLine();
        offline.setErr(new PrintWriter(err));
        assertThat(offline.execute("status", "--config", unreachable.toString(), "--timeout", "2")).isEqualTo(1);
        assertThat(err.toString()).contains("cannot reach the Kafka broker at 127.0.0.1:1");
    }

    /** The map's entries in the sync-log topic. */
    private static List<SyncLogEntry> syncLog() {
        Map<String, Object> props = new java.util.HashMap<>(io.dualsync.contract.KafkaClients.common(checked.config().kafka()));
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(props)) {
            List<TopicPartition> partitions = consumer.partitionsFor(Topics.SYNC_LOG).stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            List<SyncLogEntry> entries = new java.util.ArrayList<>();
            while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    SyncLogEntry e = SyncLogEntry.fromJson(r.value());
                    if (e.map().equals(MAP)) {
                        entries.add(e);
                    }
                }
            }
            return entries;
        }
    }

    /** The value of the counter sample of {@link #MAP} with this outcome; 0 when absent. */
    private static double sample(String metrics, String name, String outcome) {
        return metrics.lines()
                .filter(l -> l.startsWith(name + "{") && l.contains("map=\"" + MAP + "\"") && l.contains("outcome=\"" + outcome + "\""))
                .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1)))
                .sum();
    }

    private static HttpResponse<String> get(String path) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + observability.port() + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static void awaitTarget(String sql, long expected) {
        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(100)).untilAsserted(() -> {
            assertThat(host.firstFailure()).isEmpty();
            try (Statement s = target.createStatement(); ResultSet rs = s.executeQuery(sql)) {
                assertThat(rs.next() ? rs.getLong(1) : -1).isEqualTo(expected);
            }
        });
    }

    /** A statement about the target database, from another one (PostgreSQL refuses some from inside). */
    private static void admin(String sql) throws SQLException {
        var postgres = SharedInfrastructure.get().postgres();
        try (Connection c = DriverManager.getConnection(postgres.jdbcUrl("postgres"), postgres.user(), null)) {
            exec(c, sql);
        }
    }
}
