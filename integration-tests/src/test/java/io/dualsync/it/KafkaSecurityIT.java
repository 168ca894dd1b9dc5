package io.dualsync.it;

import io.dualsync.capture.CaptureOptions;
import io.dualsync.capture.CaptureService;
import io.dualsync.config.SyncConfig;
import io.dualsync.contract.KafkaClients;
import io.dualsync.contract.Topics;
import io.dualsync.launcher.Pipeline;
import io.dualsync.launcher.ServiceHost;
import io.dualsync.launcher.Startup;
import io.dualsync.launcher.infra.SecuredEmbeddedKafka;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.security.auth.SecurityProtocol;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
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
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static io.dualsync.it.Sql.exec;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.awaitility.Awaitility.await;

/**
 * {@code kafka.security} end to end: a one-way PostgreSQL pipeline (capture with Debezium's
 * Kafka offset store, transform with Kafka Streams exactly-once, apply with its consumer and
 * dead-letter producer) runs against brokers of its own that accept TLS only, with certificates
 * made by this test: (a) SASL_SSL with SCRAM-SHA-512 users created at the broker's start and
 * server-verified TLS, (b) mutual TLS. These brokers have no plaintext listener, so a row that
 * arrives went over the secured one. A wrong SCRAM password stops the start with a message that
 * names the refused login and holds no password. The shared registry and PostgreSQL are used
 * as they are (the registry client is HTTP, outside {@code kafka.security}).
 */
class KafkaSecurityIT {

    private static final String BROKER_PASSWORD = "brokerPw-" + UUID.randomUUID();
    private static final String DUALSYNC_PASSWORD = "dualsyncPw-" + UUID.randomUUID();
    private static final String WRONG_PASSWORD = "wrongPw-" + UUID.randomUUID();

    @TempDir
    static Path dir;

    static TestCertificates certificates;
    static SecuredEmbeddedKafka scramBroker;

    @BeforeAll
    static void startScramBroker() throws Exception {
        SharedInfrastructure.get();
        certificates = TestCertificates.create(dir);
        Map<String, String> users = new LinkedHashMap<>();
        users.put("broker", BROKER_PASSWORD);
        users.put("dualsync", DUALSYNC_PASSWORD);
        scramBroker = SecuredEmbeddedKafka.startWithScram(brokerTls(), users);
        Files.writeString(dir.resolve("store.pw"), certificates.password() + "\n");
        Files.writeString(dir.resolve("kafka.pw"), DUALSYNC_PASSWORD + "\n");
        Files.writeString(dir.resolve("wrong-kafka.pw"), WRONG_PASSWORD + "\n");
    }

    @AfterAll
    static void stopScramBroker() {
        if (scramBroker != null) {
            scramBroker.close();
        }
    }

    private static SecuredEmbeddedKafka.BrokerTls brokerTls() {
        return new SecuredEmbeddedKafka.BrokerTls(certificates.brokerKeystore(), certificates.password(),
                certificates.truststore(), certificates.password());
    }

    @Test
    void shouldRunThePipelineOverSaslScramWithServerVerifiedTls() throws Exception {
        assertOnlySecuredListeners(scramBroker);
        String security = """
                  security:
                    protocol: SASL_SSL
                    truststoreFile: truststore.p12
                    truststorePasswordFile: store.pw
                    sasl: { mechanism: SCRAM-SHA-512, username: dualsync, passwordFile: kafka.pw }
                """;
        runPipelineAndExpectARow(scramBroker, "scram", security);
    }

    @Test
    void shouldRunThePipelineOverMutualTls() throws Exception {
        try (SecuredEmbeddedKafka broker = SecuredEmbeddedKafka.startWithMutualTls(brokerTls())) {
            assertOnlySecuredListeners(broker);
            String security = """
                      security:
                        protocol: SSL
                        truststoreFile: truststore.p12
                        truststorePasswordFile: store.pw
                        keystoreFile: client.p12
                        keystorePasswordFile: store.pw
                    """;
            // without the client certificate the broker does not let a client in
            Throwable refused = catchThrowable(() -> listTopics(broker, Map.of("security.protocol", "SSL",
                    "ssl.truststore.location", certificates.truststore().toString(),
                    "ssl.truststore.password", certificates.password())));
            assertThat(refused).isNotNull();
            runPipelineAndExpectARow(broker, "mtls", security);
        }
    }

    @Test
    void shouldRefuseToStartWithAWrongScramPasswordNamingTheLoginProblemWithoutAnyPassword() throws Exception {
        Fixture fixture = Fixture.create("wrongpw", scramBroker, """
                  security:
                    protocol: SASL_SSL
                    truststoreFile: truststore.p12
                    truststorePasswordFile: store.pw
                    sasl: { mechanism: SCRAM-SHA-512, username: dualsync, passwordFile: wrong-kafka.pw }
                """);
        Startup.Checked checked = Startup.loadAndCheck(fixture.config);
        try (ServiceHost host = new ServiceHost()) {
            Throwable failure = catchThrowable(() -> new Pipeline(checked, host).startAll(CaptureOptions.defaults()));

            assertThat(failure).isNotNull();
            assertThat(failure.getMessage())
                    .contains("Kafka at " + scramBroker.bootstrapServers() + " refused the login (SASL_SSL (SCRAM-SHA-512 as user 'dualsync'))")
                    .contains("Authentication failed")
                    .contains("kafka.security.sasl");
            for (Throwable t = failure; t != null; t = t.getCause()) {
                assertThat(String.valueOf(t.getMessage())).doesNotContain(WRONG_PASSWORD).doesNotContain(DUALSYNC_PASSWORD)
                        .doesNotContain(BROKER_PASSWORD).doesNotContain(certificates.password());
            }
        } finally {
            fixture.close();
        }
    }

    @Test
    void shouldCaptureAMariaDbSourceOverScramKeepingItsSchemaHistoryInKafka() throws Exception {
        var infra = SharedInfrastructure.get();
        var mariadb = infra.mariadb();
        String erpDatabase = SharedInfrastructure.uniqueName("kafkasec_erp");
        String erpUrl = mariadb.createDatabase(erpDatabase);
        String crmUrl = infra.postgres().createDatabase(SharedInfrastructure.uniqueName("kafkasec_crm"));
        try (Connection erp = DriverManager.getConnection(erpUrl, mariadb.user(), mariadb.password());
             Connection crm = DriverManager.getConnection(crmUrl, infra.postgres().user(), null)) {
            exec(erp, "CREATE TABLE item (id INT PRIMARY KEY, code VARCHAR(20) NOT NULL UNIQUE, label VARCHAR(100))");
            exec(erp, "INSERT INTO item VALUES (1, 'A-1', 'before the start')");
            exec(crm, "create table article (code text primary key, label text)");
            Path mariadbPassword = Files.writeString(dir.resolve(erpDatabase + ".pw"), mariadb.password() == null ? "" : mariadb.password());
            Path config = Files.writeString(dir.resolve(erpDatabase + ".yaml"), """
                    kafka:
                      bootstrap: "%s"
                      security:
                        protocol: SASL_SSL
                        truststoreFile: truststore.p12
                        truststorePasswordFile: store.pw
                        sasl: { mechanism: SCRAM-SHA-512, username: dualsync, passwordFile: kafka.pw }
                    registry: { url: "%s" }
                    endpoints:
                      %s: { kind: mariadb, url: "%s", user: %s, passwordFile: "%s", serverId: %d }
                      crm: { kind: postgres, url: "%s", user: %s }
                    maps:
                      - name: %s
                        a: %s.item
                        b: crm.public.article
                        key: [ { a: code, b: code } ]
                        fields:
                          - { a: code,  b: code }
                          - { a: label, b: label }
                    """.formatted(scramBroker.bootstrapServers(), infra.registry().url(), erpDatabase, erpUrl, mariadb.user(),
                    mariadbPassword, 700_000 + new java.util.Random().nextInt(100_000), crmUrl, infra.postgres().user(),
                    SharedInfrastructure.uniqueName("items"), erpDatabase));
            Startup.Checked checked = Startup.loadAndCheck(config);
            try (ServiceHost host = new ServiceHost()) {
                new Pipeline(checked, host).startAll(CaptureOptions.defaults().withPollInterval(Duration.ofMillis(20)));
                exec(erp, "INSERT INTO item VALUES (2, 'B-2', 'while running')");
                await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(100)).untilAsserted(() -> {
                    assertThat(host.firstFailure()).isEmpty();
                    assertThat(labels(crm)).containsExactlyInAnyOrder("before the start", "while running");
                });
                // Debezium's schema history producer wrote the table definitions through the secured listener
                assertThat(recordCount(checked.config(), Topics.schemaHistory(erpDatabase))).isPositive();
            }
        }
    }

    private static List<String> labels(Connection c) throws SQLException {
        List<String> labels = new java.util.ArrayList<>();
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("select label from article")) {
            while (rs.next()) {
                labels.add(rs.getString(1));
            }
        }
        return labels;
    }

    /** The broker's only listeners are TLS ones, and a plaintext client gets nowhere on its port. */
    private static void assertOnlySecuredListeners(SecuredEmbeddedKafka broker) {
        assertThat(broker.listeners()).isNotEmpty()
                .allSatisfy((name, protocol) -> assertThat(protocol).as(name).isIn(SecurityProtocol.SSL, SecurityProtocol.SASL_SSL));
        assertThatThrownBy(() -> listTopics(broker, Map.of())).as("a plaintext client must not get in").isNotNull();
    }

    private static void listTopics(SecuredEmbeddedKafka broker, Map<String, Object> security) throws Exception {
        Map<String, Object> props = new HashMap<>(security);
        props.put("bootstrap.servers", broker.bootstrapServers());
        props.put("default.api.timeout.ms", "4000");
        props.put("request.timeout.ms", "2000");
        try (Admin admin = Admin.create(props)) {
            admin.listTopics().names().get(10, TimeUnit.SECONDS);
        }
    }

    private static void runPipelineAndExpectARow(SecuredEmbeddedKafka broker, String name, String security) throws Exception {
        Fixture fixture = Fixture.create(name, broker, security);
        Startup.Checked checked = Startup.loadAndCheck(fixture.config);
        try (ServiceHost host = new ServiceHost()) {
            new Pipeline(checked, host).startAll(CaptureOptions.defaults().withPollInterval(Duration.ofMillis(20)));
            exec(fixture.source, "insert into item values (2, 'B-2', 'while running')");
            await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(100)).untilAsserted(() -> {
                assertThat(host.firstFailure()).isEmpty();
                assertThat(fixture.targetLabels()).containsExactlyInAnyOrder("before the start", "while running");
            });
            // Debezium's offset store (its own producer, consumer and admin) wrote through the secured listener too
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                    assertThat(recordCount(checked.config(), Topics.captureOffsets(fixture.sourceEndpoint))).isPositive());
        } finally {
            fixture.close();
        }
    }

    private static long recordCount(SyncConfig config, String topic) {
        Map<String, Object> props = new HashMap<>(KafkaClients.common(config.kafka()));
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(props)) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                    .map(p -> new TopicPartition(topic, p.partition())).toList();
            return consumer.endOffsets(partitions).values().stream().mapToLong(Long::longValue).sum();
        }
    }

    /** A source and a target database, a config file pointing at {@code broker} with {@code security}, and their cleanup. */
    private record Fixture(Path config, String sourceEndpoint, Connection source, Connection target) implements AutoCloseable {

        static Fixture create(String name, SecuredEmbeddedKafka broker, String security) throws Exception {
            var infra = SharedInfrastructure.get();
            String sourceUrl = infra.postgres().createDatabase(SharedInfrastructure.uniqueName("kafkasec_src_" + name));
            String targetUrl = infra.postgres().createDatabase(SharedInfrastructure.uniqueName("kafkasec_dst_" + name));
            String sourceEndpoint = SharedInfrastructure.uniqueName("shop");
            Connection source = DriverManager.getConnection(sourceUrl, infra.postgres().user(), null);
            Connection target = DriverManager.getConnection(targetUrl, infra.postgres().user(), null);
            exec(source, "create table item (id int primary key, code text not null unique, label text)");
            exec(source, "insert into item values (1, 'A-1', 'before the start')");
            exec(target, "create table article (code text primary key, label text)");
            Path config = Files.writeString(dir.resolve(name + ".yaml"), """
                    kafka:
                      bootstrap: "%s"
                    %s
                    registry: { url: "%s" }
                    endpoints:
                      %s: { kind: postgres, url: "%s", user: %s }
                      warehouse: { kind: postgres, url: "%s", user: %s }
                    maps:
                      - name: %s
                        a: %s.public.item
                        b: warehouse.public.article
                        key: [ { a: code, b: code } ]
                        fields:
                          - { a: code,  b: code }
                          - { a: label, b: label }
                    """.formatted(broker.bootstrapServers(), security.stripTrailing(), infra.registry().url(),
                    sourceEndpoint, sourceUrl, infra.postgres().user(), targetUrl, infra.postgres().user(),
                    SharedInfrastructure.uniqueName("articles"), sourceEndpoint));
            return new Fixture(config, sourceEndpoint, source, target);
        }

        List<String> targetLabels() throws SQLException {
            List<String> labels = new java.util.ArrayList<>();
            try (Statement s = target.createStatement(); ResultSet rs = s.executeQuery("select label from article")) {
                while (rs.next()) {
                    labels.add(rs.getString(1));
                }
            }
            return labels;
        }

        @Override
        public void close() throws Exception {
            try {
                CaptureService.dropSlotAndPublication(io.dualsync.config.ConfigLoader.load(config).endpoint(sourceEndpoint));
            } finally {
                source.close();
                target.close();
            }
        }
    }
}
