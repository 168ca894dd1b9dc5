package io.dualsync.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dualsync.capture.CaptureService;
import io.dualsync.contract.Headers;
import io.dualsync.launcher.DualsyncCommand;
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
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.connect.cli.ConnectDistributed;
import org.apache.kafka.connect.runtime.Connect;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Kafka Connect mode end to end: a Kafka Connect worker (distributed mode, started in this JVM
 * from Maven Central's connect-runtime, against the embedded broker, REST on a free port, with
 * dualsync's connect-plugin jar on its plugin path and the database password behind a
 * {@code DirectoryConfigProvider} reference) runs the connectors that {@code dualsync connect-config
 * --post} creates; the same transform-streams and apply-service as in embedded mode sync a
 * bidirectional map between two PostgreSQL databases. Inserts, updates and deletes arrive column by
 * column in both directions, and every write of dualsync is captured once, tagged {@code sync} by
 * the Connect transform, and goes no further (no echo, no ping-pong). The CRM side is PostgreSQL;
 * one subclass per database of the ERP side.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class AbstractConnectModeIT {

    private static final Logger log = LoggerFactory.getLogger(AbstractConnectModeIT.class);
    private static final String PASSWORD = "connect-mode-pw-" + UUID.randomUUID();

    @TempDir
    static Path dir; // static: an instance @TempDir field was still null in this PER_CLASS @BeforeAll

    Connection crm;
    Connection erp;
    String crmName;
    String erpName;
    String map;
    Path config;
    Startup.Checked checked;
    ServiceHost host;
    Connect<?> worker;
    URI rest;
    final MeterRegistry transformMeters = new SimpleMeterRegistry();

    /**
     * Creates the ERP database with its table {@code customer (no int primary key, name text,
     * credit decimal(38,10), since timestamp(6), internal text)}, writes its password to
     * {@code secrets/erp-password} (no line break, as a mounted secret) and opens {@link #erp}.
     *
     * @return the endpoint's YAML flow mapping, e.g. {@code { kind: postgres, url: ..., passwordFile: secrets/erp-password }}
     */
    abstract String createErp(String name, Path secrets) throws Exception;

    /** Debezium's {@code schema.table} of the ERP table (on MariaDB the schema is the database). */
    abstract String erpTable();

    /** The ERP table's rows as {@code no, name, credit as text, since as 'YYYY-MM-DD HH:MM:SS.ffffff'}. */
    abstract String erpImageQuery();

    /** Drops what capturing the ERP side left in its database (a replication slot), if anything. */
    abstract void dropErpCapture() throws Exception;

    @BeforeAll
    void start() throws Exception {
        var infra = SharedInfrastructure.get();
        crmName = SharedInfrastructure.uniqueName("crm");
        erpName = SharedInfrastructure.uniqueName("erp");
        map = SharedInfrastructure.uniqueName("customers");
        String crmUrl = infra.postgres().createDatabase(crmName);
        crm = DriverManager.getConnection(crmUrl, infra.postgres().user(), null);
        exec(crm, "create table account (id int primary key, name text, credit numeric(38,10), since timestamp(6), notes text)");
        exec(crm, "insert into account values (1, 'Ærø before Connect', 12.3400000001, '2026-11-30 10:15:30.123456', 'unmapped')");

        // mounted secrets, as on Kubernetes: no line break; the embedded PostgreSQL trusts any password
        Path secrets = Files.createDirectories(dir.resolve("secrets"));
        Files.writeString(secrets.resolve("crm-password"), PASSWORD);
        String erpEndpoint = createErp(erpName, secrets);
        config = Files.writeString(dir.resolve("connect.yaml"), """
                kafka: { bootstrap: "%s", applicationId: it-connectmode }
                registry: { url: "%s" }
                endpoints:
                  %s: { kind: postgres, url: "%s", user: %s, passwordFile: secrets/crm-password }
                  %s: %s
                maps:
                  - name: %s
                    a: %s.public.account
                    b: %s.%s
                    direction: bidirectional
                    key: [ { a: id, b: no } ]
                    fields:
                      - { a: id,     b: no }
                      - { a: name,   b: name }
                      - { a: credit, b: credit }
                      - { a: since,  b: since }
                """.formatted(infra.kafka().bootstrapServers(), infra.registry().url(),
                crmName, crmUrl, infra.postgres().user(), erpName, erpEndpoint,
                map, crmName, erpName, erpTable()));
        checked = Startup.loadAndCheck(config);

        worker = startWorker(infra.kafka().bootstrapServers());
        rest = worker.rest().serverUrl();

        host = new ServiceHost();
        new Pipeline(checked, host).startApply();
    }

    /**
     * Started once the connectors run, so that their raw topics exist: a Streams application that
     * finds a source topic missing at its first rebalance fails (MissingSourceTopicException), and
     * a topic just created may not be in its metadata yet.
     */
    private void startTransform() {
        TransformService transform = new TransformService(checked.config(), checked.catalog(), map, dir.resolve("streams"),
                transformMeters);
        transform.start();
        host.add(new ServiceHost.Hosted("transform", transform, transform::failure));
    }

    /** A distributed worker of its own group, topics and plugin path: what a platform team runs, in this JVM. */
    private Connect<?> startWorker(String bootstrap) throws Exception {
        String plugin = System.getProperty("dualsync.connect.plugin.jar");
        assertThat(plugin).as("failsafe passes the connect-plugin jar built by capture-service").isNotNull();
        Path pluginDir = Files.createDirectories(dir.resolve("plugins/dualsync"));
        Files.copy(Path.of(plugin), pluginDir.resolve(Path.of(plugin).getFileName()));
        String group = SharedInfrastructure.uniqueName("connect");
        Map<String, String> props = new HashMap<>();
        props.put("bootstrap.servers", bootstrap);
        props.put("group.id", group);
        props.put("config.storage.topic", group + ".configs");
        props.put("offset.storage.topic", group + ".offsets");
        props.put("status.storage.topic", group + ".status");
        props.put("config.storage.replication.factor", "1");
        props.put("offset.storage.replication.factor", "1");
        props.put("status.storage.replication.factor", "1");
        props.put("key.converter", "org.apache.kafka.connect.json.JsonConverter");
        props.put("value.converter", "org.apache.kafka.connect.json.JsonConverter");
        props.put("offset.flush.interval.ms", "500");
        props.put("listeners", "http://127.0.0.1:0");
        props.put("plugin.path", dir.resolve("plugins").toString());
        // the providers the generated configurations refer to (README, "Kafka Connect mode")
        props.put("config.providers", "env,dir");
        props.put("config.providers.env.class", "org.apache.kafka.common.config.provider.EnvVarConfigProvider");
        props.put("config.providers.dir.class", "org.apache.kafka.common.config.provider.DirectoryConfigProvider");
        long started = System.nanoTime();
        Connect<?> connect = new ConnectDistributed().startConnect(props);
        log.info("Kafka Connect worker up in {} ms at {}", (System.nanoTime() - started) / 1_000_000, connect.rest().serverUrl());
        return connect;
    }

    @AfterAll
    void stop() throws Exception {
        if (worker != null) {
            worker.stop(); // stops the connector tasks: the replication slots are released
        }
        if (host != null) {
            host.close();
        }
        if (checked != null) {
            CaptureService.dropSlotAndPublication(checked.config().endpoint(crmName));
            dropErpCapture();
        }
        crm.close();
        if (erp != null) {
            erp.close();
        }
    }

    @Test
    @Order(0)
    void shouldLoadTheTransformAndEverythingItUsesFromThePluginJarAlone() throws Exception {
        // Connect loads a plugin's own classes child-first from its plugin.path entry; a class the jar
        // lacked would come from this test's classpath instead (and fail across packages on a worker)
        java.net.URL jar = Path.of(System.getProperty("dualsync.connect.plugin.jar")).toUri().toURL();
        try (var loader = new org.apache.kafka.connect.runtime.isolation.PluginClassLoader(jar, new java.net.URL[] {jar},
                AbstractConnectModeIT.class.getClassLoader())) {
            for (String name : List.of("io.dualsync.capture.OriginTagging", "io.dualsync.capture.RawRecordTagger",
                    "io.dualsync.capture.TransactionMarker", "io.dualsync.capture.SourceTransactions",
                    "io.dualsync.capture.ReadPositions", "io.dualsync.capture.OriginClassifier", "io.dualsync.contract.Headers")) {
                assertThat(loader.loadClass(name).getClassLoader()).as(name).isSameAs(loader);
            }
            @SuppressWarnings("unchecked")
            var transform = (org.apache.kafka.connect.transforms.Transformation<org.apache.kafka.connect.source.SourceRecord>)
                    loader.loadClass("io.dualsync.capture.OriginTagging").getDeclaredConstructor().newInstance();
            transform.configure(Map.of("checkpoint.topic", "cp"));
            var schema = org.apache.kafka.connect.data.SchemaBuilder.struct()
                    .field("op", org.apache.kafka.connect.data.Schema.STRING_SCHEMA).build();
            var record = new org.apache.kafka.connect.source.SourceRecord(Map.of(), Map.of(), "t", null, null, null, schema,
                    new org.apache.kafka.connect.data.Struct(schema).put("op", "c"));
            assertThat(transform.apply(record).headers().lastWithName(Headers.ORIGIN).value()).isEqualTo("app");
        }
    }

    @Test
    @Order(1)
    void shouldPrintOneConnectorPerEndpointWithTheTransformAndNoPassword() throws Exception {
        StringWriter out = new StringWriter();
        int exit = DualsyncCommand.commandLine().setOut(new PrintWriter(out))
                .execute("connect-config", "-c", config.toString());

        assertThat(exit).isZero();
        assertThat(out.toString()).doesNotContain(PASSWORD);
        JsonNode connectors = new ObjectMapper().readTree(out.toString());
        assertThat(connectors).extracting(c -> c.get("name").asText())
                .containsExactly("dualsync-capture-" + crmName, "dualsync-capture-" + erpName);
        JsonNode crmConfig = connectors.get(0).get("config");
        assertThat(crmConfig.get("transforms.dualsync.type").asText()).isEqualTo("io.dualsync.capture.OriginTagging");
        assertThat(crmConfig.get("database.password").asText()).startsWith("${dir:").endsWith(":crm-password}");
    }

    @Test
    @Order(2)
    void shouldSyncBothWaysColumnByColumnThroughConnectWithoutEchoes() throws Exception {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        long posted = System.nanoTime();
        int exit = DualsyncCommand.commandLine().setOut(new PrintWriter(out)).setErr(new PrintWriter(err))
                .execute("connect-config", "-c", config.toString(), "--post", rest.toString());
        assertThat(exit).as(err.toString()).isZero();
        assertThat(out.toString()).contains("connector dualsync-capture-" + crmName + " on " + rest + ": created")
                .contains("connector dualsync-capture-" + erpName + " on " + rest + ": created")
                .doesNotContain(PASSWORD);
        awaitRunning("dualsync-capture-" + crmName);
        awaitRunning("dualsync-capture-" + erpName);
        startTransform();

        // the snapshot of the row that was there before
        await().atMost(Duration.ofSeconds(90)).untilAsserted(() -> {
            assertThat(host.firstFailure()).isEmpty();
            assertThat(erpImage()).isEqualTo(crmImage()).hasSize(1);
        });
        log.info("Connect mode: first snapshot row applied {} ms after the post", (System.nanoTime() - posted) / 1_000_000);

        // CRM -> ERP: insert, update, delete
        exec(crm, "insert into account values (2, 'Zoë', 0.0000000001, '1999-12-31 23:59:59.999999', 'x')");
        exec(crm, "insert into account values (3, 'to be deleted', 3, null, 'x')");
        exec(crm, "update account set name = 'Æbelø', credit = 99999999999999999999.1234567891 where id = 1");
        awaitEqual(3);
        exec(crm, "delete from account where id = 3");
        awaitEqual(2);

        // ERP -> CRM: update, insert, delete
        exec(erp, "update customer set since = '2026-01-01 00:00:00.000001', internal = 'erp only' where no = 2");
        exec(erp, "insert into customer values (10, 'from the ERP', -1.5, '2026-11-30 12:00:00', 'erp only')");
        awaitEqual(3);
        exec(erp, "delete from customer where no = 10");
        awaitEqual(2);
        assertThat(crmImage()).containsEntry(1, "Æbelø|99999999999999999999.1234567891|2026-11-30 10:15:30.123456")
                .containsEntry(2, "Zoë|0.0000000001|2026-01-01 00:00:00.000001");
        Thread.sleep(2_000); // anything echoing would show by now

        // every user change was captured once as app; every write of dualsync once as sync, and stopped there
        Map<String, Long> crmOrigins = origins("dualsync.raw." + crmName + ".public.account");
        Map<String, Long> erpOrigins = origins("dualsync.raw." + erpName + "." + erpTable());
        log.info("Connect mode raw records by origin: crm {}, erp {}; transform suppressed origin-sync={}, echo={}",
                crmOrigins, erpOrigins, suppressed("origin-sync"), suppressed("echo"));
        assertThat(crmOrigins).isEqualTo(Map.of("app", 5L, "sync", 3L)); // snapshot + 2 inserts + update + delete; 3 applied
        assertThat(erpOrigins).isEqualTo(Map.of("app", 3L, "sync", 5L));
        assertThat(suppressed("echo")).isZero();
        assertThat(host.firstFailure()).isEmpty();
    }

    @Test
    @Order(3)
    void shouldReportWhatTheClusterSaysWhenItRefusesAConfiguration() throws Exception {
        var result = new io.dualsync.launcher.connect.ConnectRestClient(rest)
                .put("dualsync-refused", Map.of("connector.class", "no.such.Connector", "tasks.max", "1"));

        assertThat(result.ok()).isFalse();
        assertThat(result.describe()).startsWith("failed (HTTP 4").contains("no.such.Connector");
    }

    private void awaitEqual(int rows) {
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).untilAsserted(() -> {
            assertThat(host.firstFailure()).isEmpty();
            assertThat(erpImage()).hasSize(rows).isEqualTo(crmImage());
        });
    }

    private void awaitRunning(String connector) {
        HttpClient http = HttpClient.newHttpClient();
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            HttpResponse<String> status = http.send(HttpRequest.newBuilder(rest.resolve("/connectors/" + connector + "/status"))
                    .build(), HttpResponse.BodyHandlers.ofString());
            JsonNode body = new ObjectMapper().readTree(status.body());
            assertThat(body.path("tasks").path(0).path("state").asText()).as(status.body()).isEqualTo("RUNNING");
        });
    }

    /** The raw records of a topic by their origin header, as the transform reads them. */
    private static Map<String, Long> origins(String topic) {
        Map<String, Long> counts = new TreeMap<>();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, SharedInfrastructure.get().bootstrapServers(),
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class,
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class))) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                    .map(p -> new TopicPartition(topic, p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    assertThat(r.headers().toArray()).as("headers of %s@%d", topic, r.offset()).hasSizeBetween(1, 2);
                    counts.merge(new String(r.headers().lastHeader(Headers.ORIGIN).value(), StandardCharsets.UTF_8), 1L, Long::sum);
                }
            }
        }
        return counts;
    }

    private double suppressed(String reason) {
        return transformMeters.find("dualsync.transform.suppressed").tag("map", map).tag("reason", reason)
                .counters().stream().mapToDouble(Counter::count).sum();
    }

    private Map<Integer, String> crmImage() throws SQLException {
        return image(crm, "select id, name, credit::text, to_char(since, 'YYYY-MM-DD HH24:MI:SS.US') from account");
    }

    private Map<Integer, String> erpImage() throws SQLException {
        return image(erp, erpImageQuery());
    }

    private Map<Integer, String> image(Connection c, String sql) throws SQLException {
        Map<Integer, String> rows = new TreeMap<>();
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            while (rs.next()) {
                rows.put(rs.getInt(1), rs.getString(2) + "|" + rs.getString(3) + "|" + rs.getString(4));
            }
        }
        return rows;
    }

    static void exec(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }
}
