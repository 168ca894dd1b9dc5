package io.dualsync.capture;

import io.dualsync.config.Endpoint;
import io.dualsync.config.EndpointKind;
import io.dualsync.config.KafkaSettings;
import io.dualsync.config.RegistrySettings;
import io.dualsync.config.Secret;
import io.dualsync.config.SyncConfig;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;

import static io.dualsync.capture.TestConfigs.map;
import static io.dualsync.capture.TestConfigs.mariadb;
import static io.dualsync.capture.TestConfigs.postgres;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The Debezium settings of a MariaDB endpoint: binlog connector, server id, schema history in Kafka. */
class MariaDbSourcePropertiesTest {

    private static final Endpoint ERP = mariadb("erp", "jdbc:mariadb://erp-db.example.com:3307/erp", "cdc",
            new Secret("m4ria-pw", "env ERP_PASSWORD"), 4711);
    private static final Endpoint CRM = postgres("crm", "jdbc:postgresql://crm-db/crm", "sync", null);

    private static final SyncConfig CONFIG = new SyncConfig(Path.of("sync.yaml"),
            new KafkaSettings("k1:9092", Map.of("security.protocol", "SASL_SSL",
                    "sasl.jaas.config", "org.apache.kafka.common.security.plain.PlainLoginModule required password=\"kpw\";"),
                    6, (short) 3),
            new RegistrySettings("http://registry:8080/"),
            Map.of("crm", CRM, "erp", ERP),
            List.of(map("customers", "crm.public.account", "erp.erp.customer"),
                    map("items", "erp.stock.item$v2", "crm.public.item")));

    private static final CaptureOptions OPTIONS = CaptureOptions.defaults().withPollInterval(Duration.ofMillis(20))
            .withMeters(new SimpleMeterRegistry());

    private final Properties erp = DebeziumProperties.forEndpoint(CONFIG, ERP, OPTIONS);

    @Test
    void shouldUseTheMariaDbConnectorAsAReplicaWithTheEndpointsServerId() {
        assertThat(erp).containsEntry("connector.class", "io.debezium.connector.mariadb.MariaDbConnector")
                .containsEntry("name", "dualsync-capture-erp")
                .containsEntry("database.hostname", "erp-db.example.com")
                .containsEntry("database.port", "3307")
                .containsEntry("database.user", "cdc")
                .containsEntry("database.password", "m4ria-pw")
                .containsEntry("database.server.id", "4711")
                .containsEntry("snapshot.mode", "initial")
                .containsEntry("snapshot.locking.mode", "minimal")
                .doesNotContainKey("slot.name")
                .doesNotContainKey("database.dbname");
    }

    @Test
    void shouldNameRawTopicsByEndpointDatabaseAndTable() {
        assertThat(erp).containsEntry("topic.prefix", "dualsync.raw.erp")
                .containsEntry("database.include.list", "erp,stock")
                .containsEntry("table.include.list", "erp\\.customer,stock\\.item\\$v2,erp\\.dualsync_apply_checkpoint,erp\\.dualsync_debezium_signal")
                .containsEntry("signal.data.collection", "erp.dualsync_debezium_signal")
                // erp is also a target: its apply checkpoint is read to recognise dualsync's writes, never snapshotted
                .containsEntry("snapshot.include.collection.list", "erp\\.customer,stock\\.item\\$v2");
    }

    @Test
    void shouldKeepTheSchemaHistoryInAKafkaTopicWithTheClientSettingsAndPublishNoSchemaChanges() {
        assertThat(erp).containsEntry("schema.history.internal", "io.debezium.storage.kafka.history.KafkaSchemaHistory")
                .containsEntry("schema.history.internal.kafka.topic", "dualsync.schema-history.erp")
                .containsEntry("schema.history.internal.kafka.bootstrap.servers", "k1:9092")
                .containsEntry("schema.history.internal.producer.security.protocol", "SASL_SSL")
                .containsEntry("schema.history.internal.consumer.security.protocol", "SASL_SSL")
                .containsKey("schema.history.internal.consumer.sasl.jaas.config")
                .containsEntry("include.schema.changes", "false")
                .containsEntry("provide.transaction.metadata", "true");
    }

    @Test
    void shouldEncodeValuesAsForPostgresAndUnsignedBigintsPrecisely() {
        assertThat(erp).containsEntry("decimal.handling.mode", "string")
                .containsEntry("time.precision.mode", "adaptive_time_microseconds")
                .containsEntry("binary.handling.mode", "bytes")
                .containsEntry("tombstones.on.delete", "false")
                .containsEntry("bigint.unsigned.handling.mode", "precise");
    }

    @Test
    void shouldKeepOffsetsInKafkaAsForPostgres() {
        assertThat(erp).containsEntry("offset.storage", "org.apache.kafka.connect.storage.KafkaOffsetBackingStore")
                .containsEntry("offset.storage.topic", "dualsync.offsets.erp")
                .containsEntry("key.converter.class", "io.apicurio.registry.utils.converter.AvroConverter")
                .containsEntry("value.converter.apicurio.registry.as-confluent", "true");
    }

    @Test
    void shouldMaskThePasswordsOfTheDatabaseAndOfTheHistoryClients() {
        String logged = DebeziumProperties.masked(erp);

        assertThat(logged).doesNotContain("m4ria-pw").doesNotContain("kpw")
                .contains("database.password=******")
                .contains("schema.history.internal.producer.sasl.jaas.config=******");
    }

    @Test
    void shouldRefuseAMariaDbEndpointWithoutServerId() {
        Endpoint noId = new Endpoint("erp", EndpointKind.MARIADB, "jdbc:mariadb://h:3306/erp", "u", null,
                "s", "p", Optional.empty(), "UTC");

        assertThatThrownBy(() -> DebeziumProperties.forEndpoint(CONFIG, noId, OPTIONS))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("endpoint 'erp' is mariadb but has no serverId: add serverId: <a number no other replica of the server uses>");
    }
}
