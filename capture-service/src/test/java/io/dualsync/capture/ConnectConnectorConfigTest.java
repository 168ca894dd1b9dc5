package io.dualsync.capture;

import io.dualsync.config.Endpoint;
import io.dualsync.config.KafkaSecurity;
import io.dualsync.config.KafkaSettings;
import io.dualsync.config.RegistrySettings;
import io.dualsync.config.Secret;
import io.dualsync.config.SyncConfig;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeSet;

import static io.dualsync.capture.TestConfigs.map;
import static io.dualsync.capture.TestConfigs.mariadb;
import static io.dualsync.capture.TestConfigs.postgres;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The connector configurations of Kafka Connect mode: the embedded engine's settings, Connect's own, no secret inline. */
class ConnectConnectorConfigTest {

    private static final String PG_PASSWORD = "pg-s3cr3t";
    private static final String MARIA_PASSWORD = "m4ria-s3cr3t";
    private static final String SCRAM_PASSWORD = "scram-s3cr3t";
    private static final String STORE_PASSWORD = "store-s3cr3t";

    private static final Endpoint CRM = postgres("crm", "jdbc:postgresql://crm-db:5432/crm", "sync",
            Secret.fromEnv(PG_PASSWORD, "CRM_PASSWORD"));
    private static final Endpoint ERP = mariadb("erp", "jdbc:mariadb://erp-db:3306/erp", "cdc",
            Secret.fromFile(MARIA_PASSWORD, Path.of("/var/run/secrets/erp/password")), 4711);
    private static final KafkaSecurity SECURITY = new KafkaSecurity("SASL_SSL", Optional.of(Path.of("/etc/kafka/ca.p12")),
            Secret.fromFile(STORE_PASSWORD, Path.of("/etc/kafka/ca.password")), Optional.empty(), null, null,
            Optional.of(new KafkaSecurity.Sasl("SCRAM-SHA-512", "dualsync", Secret.fromEnv(SCRAM_PASSWORD, "KAFKA_PASSWORD"))));
    private static final SyncConfig CONFIG = new SyncConfig(Path.of("sync.yaml"),
            new KafkaSettings("k1:9093", Map.of(), 6, (short) 3, SECURITY),
            new RegistrySettings("http://registry:8080"),
            Map.of("crm", CRM, "erp", ERP),
            List.of(map("customers", "erp.erp.customer", "crm.public.account")));
    private static final CaptureOptions OPTIONS = CaptureOptions.defaults().withMeters(new SimpleMeterRegistry());

    private final SortedMap<String, String> crm = ConnectConnectorConfig.of(CONFIG, CRM, OPTIONS, true);
    private final SortedMap<String, String> erp = ConnectConnectorConfig.of(CONFIG, ERP, OPTIONS, true);

    @Test
    void shouldGenerateExactlyTheseKeysForAPostgresEndpoint() {
        assertThat(crm.keySet()).containsExactly(
                "binary.handling.mode", "connector.class", "database.dbname", "database.hostname", "database.password",
                "database.port", "database.user", "decimal.handling.mode", "field.name.adjustment.mode", "header.converter",
                "key.converter", "key.converter.apicurio.registry.as-confluent", "key.converter.apicurio.registry.auto-register",
                "key.converter.apicurio.registry.headers.enabled", "key.converter.apicurio.registry.url",
                "key.converter.apicurio.registry.use-id", "name", "offsets.storage.topic", "plugin.name", "poll.interval.ms",
                "publication.autocreate.mode", "publication.name", "schema.name.adjustment.mode", "signal.data.collection",
                "signal.enabled.channels", "slot.name", "snapshot.include.collection.list", "snapshot.mode",
                "table.include.list", "tasks.max", "time.precision.mode", "tombstones.on.delete", "topic.creation.default.partitions",
                "topic.creation.default.replication.factor", "topic.prefix", "transforms", "transforms.dualsync.checkpoint.topic",
                "transforms.dualsync.signal.topic", "transforms.dualsync.type", "value.converter",
                "value.converter.apicurio.registry.as-confluent", "value.converter.apicurio.registry.auto-register",
                "value.converter.apicurio.registry.headers.enabled", "value.converter.apicurio.registry.url",
                "value.converter.apicurio.registry.use-id");
    }

    @Test
    void shouldRunTheOriginTransformAndKeepTheEmbeddedEnginesNameAndOffsetsTopic() {
        assertThat(crm).containsEntry("name", "dualsync-capture-crm")
                .containsEntry("tasks.max", "1")
                .containsEntry("transforms", "dualsync")
                .containsEntry("transforms.dualsync.type", "io.dualsync.capture.OriginTagging")
                .containsEntry("transforms.dualsync.checkpoint.topic", "dualsync.raw.crm.dualsync.apply_checkpoint")
                .containsEntry("transforms.dualsync.signal.topic", "dualsync.raw.crm.dualsync.debezium_signal")
                .containsEntry("header.converter", "org.apache.kafka.connect.storage.SimpleHeaderConverter")
                .containsEntry("key.converter", "io.apicurio.registry.utils.converter.AvroConverter")
                .containsEntry("value.converter.apicurio.registry.as-confluent", "true")
                .containsEntry("offsets.storage.topic", "dualsync.offsets.crm")
                .containsEntry("topic.creation.default.partitions", "6")
                .containsEntry("topic.creation.default.replication.factor", "3");
    }

    @Test
    void shouldCarryEveryConnectorSettingOfTheEmbeddedEngineUnchanged() {
        Properties embedded = DebeziumProperties.forEndpoint(CONFIG, ERP, OPTIONS);
        Set<String> shared = new TreeSet<>(erp.keySet());
        shared.retainAll(embedded.stringPropertyNames());
        assertThat(shared).contains("table.include.list", "database.server.id", "schema.history.internal.kafka.topic",
                "provide.transaction.metadata", "topic.prefix", "decimal.handling.mode", "signal.data.collection");
        for (String key : shared) {
            if (!key.contains("password") && !key.endsWith("jaas.config")) {
                assertThat(erp.get(key)).as(key).isEqualTo(embedded.getProperty(key));
            }
        }
    }

    @Test
    void shouldReferToEverySecretThroughAConfigProviderAndNeverInlineIt() {
        assertThat(crm).containsEntry("database.password", "${env:CRM_PASSWORD}");
        assertThat(erp).containsEntry("database.password", "${dir:/var/run/secrets/erp:password}")
                .containsEntry("schema.history.internal.producer.ssl.truststore.password", "${dir:/etc/kafka:ca.password}")
                .containsEntry("schema.history.internal.consumer.ssl.truststore.password", "${dir:/etc/kafka:ca.password}");
        assertThat(erp.get("schema.history.internal.producer.sasl.jaas.config"))
                .isEqualTo("org.apache.kafka.common.security.scram.ScramLoginModule required username=\"dualsync\""
                        + " password=\"${env:KAFKA_PASSWORD}\";");
        for (String value : List.of(crm, erp).stream().flatMap(c -> c.values().stream()).toList()) {
            assertThat(value).doesNotContain(PG_PASSWORD, MARIA_PASSWORD, SCRAM_PASSWORD, STORE_PASSWORD);
        }
    }

    @Test
    void shouldLeaveTheWorkersOwnKafkaClientsAndOffsetStoreToTheWorker() {
        assertThat(crm).doesNotContainKeys("bootstrap.servers", "security.protocol", "sasl.jaas.config",
                "offset.storage", "offset.storage.topic", "offset.flush.interval.ms", "key.converter.class");
    }

    @Test
    void shouldRefuseASecretFileEndingInALineBreakThatConnectWouldPassOn(@org.junit.jupiter.api.io.TempDir Path dir)
            throws Exception {
        Path file = java.nio.file.Files.writeString(dir.resolve("crm.pw"), PG_PASSWORD + "\n");
        Endpoint crm = postgres("crm", "jdbc:postgresql://crm-db:5432/crm", "sync", Secret.fromFile(PG_PASSWORD, file));
        SyncConfig config = new SyncConfig(Path.of("sync.yaml"), new KafkaSettings("k1:9092", Map.of(), 1, (short) 1),
                new RegistrySettings("http://registry:8080"), Map.of("crm", crm, "erp", ERP),
                List.of(map("customers", "erp.erp.customer", "crm.public.account")));

        assertThatThrownBy(() -> ConnectConnectorConfig.of(config, crm, OPTIONS, true))
                .hasMessageContaining(file + " ends with a line break").hasMessageContaining("Fix: ")
                .hasMessageNotContaining(PG_PASSWORD);
    }

    @Test
    void shouldRefuseASecretThatAWorkerCannotReadWithoutNamingIt() {
        Endpoint inline = postgres("crm", "jdbc:postgresql://crm-db:5432/crm", "sync", new Secret(PG_PASSWORD, "test"));
        SyncConfig config = new SyncConfig(Path.of("sync.yaml"), new KafkaSettings("k1:9092", Map.of(), 1, (short) 1),
                new RegistrySettings("http://registry:8080"), Map.of("crm", inline, "erp", ERP),
                List.of(map("customers", "erp.erp.customer", "crm.public.account")));

        assertThatThrownBy(() -> ConnectConnectorConfig.of(config, inline, OPTIONS, true))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("passwordEnv").hasMessageNotContaining(PG_PASSWORD);
    }
}
