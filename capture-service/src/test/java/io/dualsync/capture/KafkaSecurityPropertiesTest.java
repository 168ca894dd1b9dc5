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

import static io.dualsync.capture.TestConfigs.map;
import static io.dualsync.capture.TestConfigs.mariadb;
import static io.dualsync.capture.TestConfigs.postgres;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code kafka.security} reaches every Kafka client inside the Debezium engine: the offset store's
 * producer, consumer and admin (top-level keys) and, for MariaDB, the schema history's producer
 * and consumer (their prefixed keys); and the logged form of the configuration shows no password.
 */
class KafkaSecurityPropertiesTest {

    private static final String SCRAM_PASSWORD = "scram-pw-4711";
    private static final String STORE_PASSWORD = "store-pw-0815";

    private static final Endpoint ERP = mariadb("erp", "jdbc:mariadb://erp-db:3306/erp", "cdc", null, 4711);
    private static final Endpoint CRM = postgres("crm", "jdbc:postgresql://crm-db/crm", "sync", null);
    private static final KafkaSecurity SECURITY = new KafkaSecurity("SASL_SSL", Optional.of(Path.of("/etc/kafka/ca.p12")),
            new Secret(STORE_PASSWORD, "file ca.password"), Optional.empty(), null, null,
            Optional.of(new KafkaSecurity.Sasl("SCRAM-SHA-512", "dualsync", new Secret(SCRAM_PASSWORD, "env KAFKA_PASSWORD"))));
    private static final SyncConfig CONFIG = new SyncConfig(Path.of("sync.yaml"),
            new KafkaSettings("k1:9093", Map.of(), 1, (short) 1, SECURITY),
            new RegistrySettings("http://registry:8080"),
            Map.of("crm", CRM, "erp", ERP),
            List.of(map("customers", "erp.erp.customer", "crm.public.account")));

    private final Properties erp = DebeziumProperties.forEndpoint(CONFIG, ERP,
            CaptureOptions.defaults().withMeters(new SimpleMeterRegistry()));

    @Test
    void shouldGiveTheOffsetStoreAndTheSchemaHistoryClientsTheSameSecurity() {
        for (String prefix : List.of("", "schema.history.internal.producer.", "schema.history.internal.consumer.")) {
            assertThat(erp).as(prefix.isEmpty() ? "offset store" : prefix)
                    .containsEntry(prefix + "security.protocol", "SASL_SSL")
                    .containsEntry(prefix + "sasl.mechanism", "SCRAM-SHA-512")
                    .containsEntry(prefix + "ssl.truststore.location", "/etc/kafka/ca.p12")
                    .containsEntry(prefix + "ssl.truststore.type", "PKCS12")
                    .containsEntry(prefix + "ssl.truststore.password", STORE_PASSWORD);
            assertThat(erp.getProperty(prefix + "sasl.jaas.config")).contains("ScramLoginModule required username=\"dualsync\"");
        }
        assertThat(erp).containsEntry("schema.history.internal.kafka.bootstrap.servers", "k1:9093");
    }

    @Test
    void shouldLogTheEngineConfigurationWithoutAnyKafkaPassword() {
        assertThat(DebeziumProperties.masked(erp)).doesNotContain(SCRAM_PASSWORD).doesNotContain(STORE_PASSWORD)
                .contains("security.protocol=SASL_SSL");
    }
}
