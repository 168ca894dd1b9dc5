package io.dualsync.capture;

import io.dualsync.config.Endpoint;
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
import java.util.Properties;
import java.util.regex.Pattern;

import io.dualsync.config.Direction;
import io.dualsync.config.TableMap;
import static io.dualsync.capture.TestConfigs.map;
import static io.dualsync.capture.TestConfigs.postgres;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DebeziumPropertiesTest {

    private static final Endpoint CRM = postgres("crm", "jdbc:postgresql://db.example.com:6543/crmdb?sslmode=require",
            "sync", new Secret("s3cr3t-pw", "env CRM_PASSWORD"));
    private static final Endpoint ERP = postgres("erp", "jdbc:postgresql://erp-host/erp", "erp_sync", null);

    /** Maps on two endpoints; crm.public.account appears in two maps, erp tables on both sides. */
    private static final SyncConfig CONFIG = new SyncConfig(Path.of("sync.yaml"),
            new KafkaSettings("k1:9092,k2:9092", Map.of("security.protocol", "SASL_SSL",
                    "sasl.jaas.config", "org.apache.kafka.common.security.plain.PlainLoginModule required password=\"kpw\";"),
                    6, (short) 3),
            new RegistrySettings("http://registry:8080/"),
            Map.of("crm", CRM, "erp", ERP),
            List.of(map("customers", "crm.public.account", "erp.public.customer"),
                    map("contacts", "crm.sales.contact", "erp.public.person"),
                    map("vendors", "erp.public.vendor", "crm.public.account"),
                    map("items", "erp.inv.item", "erp.public.item_copy")));

    private static final CaptureOptions OPTIONS = CaptureOptions.defaults().withPollInterval(Duration.ofMillis(20))
            .withOffsetFlushInterval(Duration.ofMillis(500)).withMeters(new SimpleMeterRegistry());

    private final Properties crm = DebeziumProperties.forEndpoint(CONFIG, CRM, OPTIONS);

    @Test
    void shouldConfigureThePostgresConnectorWithPgoutputAndTheEndpointsSlotAndPublication() {
        assertThat(crm).containsEntry("connector.class", "io.debezium.connector.postgresql.PostgresConnector")
                .containsEntry("name", "dualsync-capture-crm")
                .containsEntry("plugin.name", "pgoutput")
                .containsEntry("slot.name", "dualsync_crm")
                .containsEntry("publication.name", "dualsync_crm")
                .containsEntry("publication.autocreate.mode", "filtered")
                .containsEntry("snapshot.mode", "initial")
                .containsEntry("topic.prefix", "dualsync.raw.crm");
    }

    @Test
    void shouldTakeHostPortDatabaseAndCredentialsFromTheEndpoint() {
        assertThat(crm).containsEntry("database.hostname", "db.example.com")
                .containsEntry("database.port", "6543")
                .containsEntry("database.dbname", "crmdb")
                .containsEntry("database.user", "sync")
                .containsEntry("database.password", "s3cr3t-pw");
    }

    @Test
    void shouldSetNoPasswordWhenTheEndpointHasNone() {
        Properties erp = DebeziumProperties.forEndpoint(CONFIG, ERP, OPTIONS);

        assertThat(erp).containsEntry("database.port", "5432").containsEntry("database.user", "erp_sync")
                .doesNotContainKey("database.password");
    }

    @Test
    void shouldIncludeExactlyTheTablesTheMapsReferenceOnEachEndpoint() {
        Properties erp = DebeziumProperties.forEndpoint(CONFIG, ERP, OPTIONS);

        assertThat(crm.getProperty("table.include.list")).isEqualTo("public\\.account,sales\\.contact,dualsync\\.apply_checkpoint,dualsync\\.debezium_signal");
        assertThat(erp.getProperty("table.include.list"))
                .isEqualTo("public\\.customer,public\\.person,public\\.vendor,inv\\.item,public\\.item_copy,dualsync\\.apply_checkpoint"
                        + ",dualsync\\.debezium_signal");
    }

    @Test
    void shouldCaptureTheApplyCheckpointOfATargetEndpointButNeverSnapshotIt() {
        Properties erp = DebeziumProperties.forEndpoint(CONFIG, ERP, OPTIONS);

        assertThat(erp.getProperty("table.include.list")).contains(",dualsync\\.apply_checkpoint");
        assertThat(erp.getProperty("snapshot.include.collection.list"))
                .isEqualTo("public\\.customer,public\\.person,public\\.vendor,inv\\.item,public\\.item_copy");
    }

    @Test
    void shouldNotCaptureTheApplyCheckpointOfAnEndpointNoMapWritesTo() {
        TableMap oneWay = map("customers", "crm.public.account", "erp.public.customer");
        oneWay = new TableMap(oneWay.name(), oneWay.a(), oneWay.b(), Direction.A_TO_B, oneWay.key(), oneWay.fields(),
                oneWay.filterA(), oneWay.filterB(), oneWay.companies(), oneWay.conflicts(), oneWay.deletes());
        SyncConfig config = new SyncConfig(CONFIG.source(), CONFIG.kafka(), CONFIG.registry(), CONFIG.endpoints(), List.of(oneWay));

        Properties source = DebeziumProperties.forEndpoint(config, CRM, OPTIONS);

        assertThat(source.getProperty("table.include.list")).isEqualTo("public\\.account,dualsync\\.debezium_signal");
        assertThat(source).containsEntry("snapshot.include.collection.list", "public\\.account");
    }

    @Test
    void shouldCaptureTheSignalingTableForResyncsButNeverSnapshotIt() {
        Properties crm = DebeziumProperties.forEndpoint(CONFIG, CRM, OPTIONS);

        assertThat(crm).containsEntry("signal.enabled.channels", "source")
                .containsEntry("signal.data.collection", "dualsync.debezium_signal");
        assertThat(crm.getProperty("table.include.list")).endsWith(",dualsync\\.debezium_signal");
        assertThat(crm.getProperty("snapshot.include.collection.list")).doesNotContain("debezium_signal");
    }

    @Test
    void shouldQuoteTableNamesSoThatTheyMatchOnlyThemselves() {
        String list = DebeziumProperties.tableIncludeList(List.of(TestConfigs.ref("crm.public.order$lines"),
                TestConfigs.ref("crm.public.a+b")));

        Pattern first = Pattern.compile(list.split(",")[0]);
        assertThat(first.matcher("public.order$lines").matches()).isTrue();
        assertThat(first.matcher("publicXorder$lines").matches()).isFalse();
        assertThat(Pattern.compile(list.split(",")[1]).matcher("public.a+b").matches()).isTrue();
    }

    @Test
    void shouldFixTheValueEncodingsOfTheRawTopicContract() {
        assertThat(crm).containsEntry("decimal.handling.mode", "string")
                .containsEntry("time.precision.mode", "adaptive_time_microseconds")
                .containsEntry("binary.handling.mode", "bytes")
                .containsEntry("tombstones.on.delete", "false");
    }

    @Test
    void shouldTakePollAndOffsetFlushIntervalsFromTheOptions() {
        assertThat(crm).containsEntry("poll.interval.ms", "20").containsEntry("offset.flush.interval.ms", "500");
        assertThat(DebeziumProperties.forEndpoint(CONFIG, CRM, CaptureOptions.defaults()))
                .containsEntry("poll.interval.ms", "20").containsEntry("offset.flush.interval.ms", "1000");
    }

    @Test
    void shouldKeepOffsetsInTheEndpointsKafkaTopicWithTheConfiguredClientSettings() {
        assertThat(crm).containsEntry("offset.storage", "org.apache.kafka.connect.storage.KafkaOffsetBackingStore")
                .containsEntry("offset.storage.topic", "dualsync.offsets.crm")
                .containsEntry("offset.storage.partitions", "1")
                .containsEntry("offset.storage.replication.factor", "3")
                .containsEntry("bootstrap.servers", "k1:9092,k2:9092")
                .containsEntry("security.protocol", "SASL_SSL")
                .containsKey("sasl.jaas.config");
    }

    @Test
    void shouldSerializeKeysAndValuesWithApicuriosAvroConverterInTheConfluentWireFormat() {
        for (String side : List.of("key", "value")) {
            String prefix = side + ".converter.";
            assertThat(crm).containsEntry(prefix + "class", "io.apicurio.registry.utils.converter.AvroConverter")
                    .containsEntry(prefix + "apicurio.registry.url", "http://registry:8080/apis/registry/v2")
                    .containsEntry(prefix + "apicurio.registry.auto-register", "true")
                    .containsEntry(prefix + "apicurio.registry.as-confluent", "true")
                    .containsEntry(prefix + "apicurio.registry.use-id", "contentId")
                    .containsEntry(prefix + "apicurio.registry.headers.enabled", "false");
        }
        // a bare converter.class would also reach Debezium's header converter, which must stay JSON
        assertThat(crm).doesNotContainKey("converter.class");
    }

    @Test
    void shouldMaskThePasswordAndKafkaSecretsWhenLogged() {
        String logged = DebeziumProperties.masked(crm);

        assertThat(logged).doesNotContain("s3cr3t-pw").doesNotContain("kpw")
                .contains("database.password=******")
                .contains("sasl.jaas.config=******")
                .contains("database.user=sync")
                .contains("slot.name=dualsync_crm");
    }

    @Test
    void shouldRefuseAnEndpointThatNoMapUses() {
        Endpoint unused = postgres("hr", "jdbc:postgresql://h/hr", "u", null);

        assertThatThrownBy(() -> DebeziumProperties.forEndpoint(CONFIG, unused, OPTIONS))
                .hasMessage("no table map references endpoint 'hr': nothing to capture");
    }
}
