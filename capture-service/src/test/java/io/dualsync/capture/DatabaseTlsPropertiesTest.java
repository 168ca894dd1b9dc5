package io.dualsync.capture;

import io.dualsync.config.DatabaseTls;
import io.dualsync.config.Endpoint;
import io.dualsync.config.EndpointKind;
import io.dualsync.config.KafkaSettings;
import io.dualsync.config.RegistrySettings;
import io.dualsync.config.SyncConfig;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;

import static io.dualsync.capture.TestConfigs.map;
import static org.assertj.core.api.Assertions.assertThat;

/** An endpoint's {@code tls} block in Debezium's settings: every connection Debezium opens is encrypted and verified alike. */
class DatabaseTlsPropertiesTest {

    private static final Path CA = caFile();
    private static final DatabaseTls VERIFY_FULL = new DatabaseTls(DatabaseTls.Mode.VERIFY_FULL, Optional.of(CA));

    private static final Endpoint CRM = new Endpoint("crm", EndpointKind.POSTGRES, "jdbc:postgresql://crm-db/crm", "sync", null,
            "dualsync_crm", "dualsync_crm", Optional.empty(), "UTC", Optional.of(VERIFY_FULL));
    private static final Endpoint ERP = new Endpoint("erp", EndpointKind.MARIADB, "jdbc:mariadb://erp-db/erp", "cdc", null,
            "dualsync_erp", "dualsync_erp", Optional.of(4711L), "UTC", Optional.of(VERIFY_FULL));
    private static final SyncConfig CONFIG = new SyncConfig(Path.of("sync.yaml"), new KafkaSettings("k1:9092", Map.of(), 1, (short) 1),
            new RegistrySettings("http://registry:8080/"), Map.of("crm", CRM, "erp", ERP),
            List.of(map("customers", "crm.public.account", "erp.erp.customer")));
    private static final CaptureOptions OPTIONS = CaptureOptions.defaults().withMeters(new SimpleMeterRegistry());

    @Test
    void shouldHandPostgresTheSslModeAndRootCertificateForTheReplicationAndJdbcConnections() {
        Properties crm = DebeziumProperties.forEndpoint(CONFIG, CRM, OPTIONS);

        assertThat(crm).containsEntry("database.sslmode", "verify-full").containsEntry("database.sslrootcert", CA.toString());
    }

    @Test
    void shouldHandTheMariaDbBinlogClientATrustStoreHoldingTheCaOfThePemFile() throws Exception {
        Properties erp = DebeziumProperties.forEndpoint(CONFIG, ERP, OPTIONS);

        assertThat(erp).containsEntry("database.ssl.mode", "verify-full").containsEntry("database.serverSslCert", CA.toString());
        KeyStore trust = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(Path.of(erp.getProperty("database.ssl.truststore")))) {
            trust.load(in, erp.getProperty("database.ssl.truststore.password").toCharArray());
        }
        try (InputStream pem = Files.newInputStream(CA)) {
            assertThat(trust.getCertificateAlias(CertificateFactory.getInstance("X.509").generateCertificate(pem))).isNotNull();
        }
    }

    @Test
    void shouldAddNoTlsSettingWithoutTheBlock() {
        Endpoint plain = new Endpoint("crm", EndpointKind.POSTGRES, "jdbc:postgresql://crm-db/crm", "sync", null,
                "dualsync_crm", "dualsync_crm", Optional.empty(), "UTC");
        SyncConfig config = new SyncConfig(Path.of("sync.yaml"), CONFIG.kafka(), CONFIG.registry(), Map.of("crm", plain, "erp", ERP),
                CONFIG.maps());

        assertThat(DebeziumProperties.forEndpoint(config, plain, OPTIONS).stringPropertyNames()).noneMatch(k -> k.contains("ssl"));
    }

    private static Path caFile() {
        try {
            return Path.of(DatabaseTlsPropertiesTest.class.getResource("/tls/ca.pem").toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }
}
