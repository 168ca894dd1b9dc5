package io.dualsync.it;

import io.dualsync.capture.CaptureOptions;
import io.dualsync.capture.CaptureService;
import io.dualsync.config.ConfigLoader;
import io.dualsync.launcher.Pipeline;
import io.dualsync.launcher.ServiceHost;
import io.dualsync.launcher.Startup;
import io.dualsync.launcher.Startup.StartupException;
import io.dualsync.launcher.infra.EmbeddedMariaDb;
import io.dualsync.launcher.infra.EmbeddedPostgres;
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
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.UUID;

import static io.dualsync.it.Sql.exec;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.awaitility.Awaitility.await;

/**
 * {@code endpoints.<name>.tls} end to end, against a PostgreSQL and a MariaDB of this test's own
 * that take TCP clients over TLS only (PostgreSQL: {@code hostssl}-only {@code pg_hba.conf};
 * MariaDB: {@code require_secure_transport} and a user {@code REQUIRE SSL}), with certificates the
 * test makes. One pipeline runs both ways over {@code verify-full}: PostgreSQL to MariaDB
 * (Debezium's pgoutput replication connection, MariaDB apply) and MariaDB to PostgreSQL
 * (Debezium's binlog client and JDBC connections, PostgreSQL apply), besides the catalog reads and
 * capture checks every start makes. Since the servers refuse unencrypted clients (checked), a row
 * that arrives went over TLS. A CA that did not sign the servers' certificate, and a host name the
 * certificate does not name, are refused by dualsync at start with a message that says to check
 * {@code tls}.
 */
class DatabaseTlsIT {

    private static final String MARIADB_PASSWORD = "tlsPw-" + UUID.randomUUID();

    @TempDir
    static Path dir;

    static TestCertificates.DatabaseCertificates certificates;
    static EmbeddedPostgres postgres;
    static EmbeddedMariaDb mariadb;

    @BeforeAll
    static void startTlsOnlyDatabases() throws Exception {
        SharedInfrastructure.get();
        certificates = TestCertificates.createForDatabase(dir.resolve("db"));
        // a second CA that signed nothing the servers present
        Files.copy(TestCertificates.createForDatabase(dir.resolve("other")).caFile(), dir.resolve("other-ca.crt"));
        Files.copy(certificates.caFile(), dir.resolve("ca.crt"));
        Files.writeString(dir.resolve("erp.pw"), MARIADB_PASSWORD + "\n");
        postgres = EmbeddedPostgres.startWithTls(certificates.certificateFile(), certificates.keyFile());
        mariadb = EmbeddedMariaDb.startWithTls(certificates.caFile(), certificates.certificateFile(), certificates.keyFile());
        try (Connection admin = mariadb.adminConnection(""); Statement s = admin.createStatement()) {
            s.execute("CREATE USER 'tls_sync'@'%' IDENTIFIED BY '" + MARIADB_PASSWORD + "' REQUIRE SSL");
            s.execute("GRANT ALL PRIVILEGES ON *.* TO 'tls_sync'@'%'");
        }
    }

    @AfterAll
    static void stopDatabases() {
        if (mariadb != null) {
            mariadb.close();
        }
        if (postgres != null) {
            postgres.close();
        }
    }

    @Test
    void shouldSyncBothWaysOverVerifiedTlsToServersThatRefuseUnencryptedClients() throws Exception {
        String crmUrl = postgres.createDatabase("crm");
        String warehouseUrl = postgres.createDatabase("warehouse");
        String erpUrl = mariadb.createDatabase("erp");
        String crm = SharedInfrastructure.uniqueName("tlscrm");
        String erp = SharedInfrastructure.uniqueName("tlserp");
        String warehouse = SharedInfrastructure.uniqueName("tlswh");

        // the servers refuse clients without TLS: whatever arrives below went encrypted
        assertThatThrownBy(() -> DriverManager.getConnection(crmUrl + "?sslmode=disable", postgres.user(), null).close())
                .hasMessageContaining("no encryption");
        assertThatThrownBy(() -> DriverManager.getConnection(erpUrl + "?sslMode=disable", "tls_sync", MARIADB_PASSWORD).close())
                .hasMessageContaining("insecure transport");

        try (Connection crmDb = tls(crmUrl + "?sslmode=require", postgres.user(), null);
             Connection warehouseDb = tls(warehouseUrl + "?sslmode=require", postgres.user(), null);
             Connection erpDb = tls(erpUrl + "?sslMode=trust", "tls_sync", MARIADB_PASSWORD)) {
            exec(crmDb, "create table account (no text primary key, name text)");
            exec(crmDb, "insert into account values ('K-1', 'before the start')");
            exec(erpDb, "CREATE TABLE customer (no VARCHAR(20) PRIMARY KEY, name VARCHAR(100))");
            exec(erpDb, "CREATE TABLE item (code VARCHAR(20) PRIMARY KEY, label VARCHAR(100))");
            exec(erpDb, "INSERT INTO item VALUES ('I-1', 'before the start')");
            exec(warehouseDb, "create table article (code text primary key, label text)");

            Path config = writeConfig("pipeline.yaml", crm, crmUrl, erp, erpUrl, warehouse, warehouseUrl, "verify-full", "ca.crt");
            Startup.Checked checked = Startup.loadAndCheck(config);
            try (ServiceHost host = new ServiceHost()) {
                new Pipeline(checked, host).startAll(CaptureOptions.defaults().withPollInterval(Duration.ofMillis(20)));
                exec(crmDb, "insert into account values ('K-2', 'while running')");
                exec(erpDb, "INSERT INTO item VALUES ('I-2', 'while running')");
                await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(100)).untilAsserted(() -> {
                    assertThat(host.firstFailure()).isEmpty();
                    assertThat(column(erpDb, "SELECT name FROM customer")).containsExactlyInAnyOrder("before the start", "while running");
                    assertThat(column(warehouseDb, "select label from article")).containsExactlyInAnyOrder("before the start", "while running");
                });
                // the replication connection of PostgreSQL's capture is encrypted too
                assertThat(column(crmDb, "select s.ssl::text from pg_stat_ssl s join pg_stat_replication r on r.pid = s.pid"))
                        .containsExactly("true");
            } finally {
                CaptureService.dropSlotAndPublication(ConfigLoader.load(config).endpoint(crm));
            }
        }
    }

    @Test
    void shouldRefuseACaThatDidNotSignTheServersCertificate() throws Exception {
        String pgUrl = postgres.jdbcUrl("postgres");
        String erpUrl = mariadb.jdbcUrl("mysql");
        Path config = writeConfig("wrong-ca.yaml", "wrongca_pg", pgUrl, "wrongca_erp", erpUrl, "wrongca_wh", pgUrl, "verify-full", "other-ca.crt");

        StartupException refused = catchThrowableOfType(StartupException.class, () -> Startup.loadAndCheck(config));

        assertThat(refused).isNotNull();
        assertThat(refused.getMessage())
                .contains("cannot connect to endpoint 'wrongca_pg'")
                .contains("PKIX path validation failed")
                .contains("TLS (verify-full (CA other-ca.crt)) failed: check that endpoints.wrongca_pg.tls.caFile holds the CA")
                .doesNotContain(MARIADB_PASSWORD);
        // Not asserted for MariaDB: Connector/J 3.4+ against MariaDB 11.4+ also accepts a certificate no
        // trusted CA signed when the server proves in the password login that it knows the password
        // ("zero-configuration TLS", bound to the certificate's fingerprint); README, "Database TLS".
    }

    @Test
    void shouldRefuseAServerWhoseCertificateNamesAnotherHostUnderVerifyFullOnly() throws Exception {
        // the certificate names localhost; 127.0.0.1 is the same server under a name it does not carry
        String pgUrl = postgres.jdbcUrl("postgres").replace("localhost", "127.0.0.1");
        String erpUrl = mariadb.jdbcUrl("mysql").replace("localhost", "127.0.0.1");
        Path config = writeConfig("wrong-host.yaml", "wronghost_pg", pgUrl, "wronghost_erp", erpUrl, "wronghost_wh", pgUrl,
                "verify-full", "ca.crt");

        StartupException refused = catchThrowableOfType(StartupException.class, () -> Startup.loadAndCheck(config));

        assertThat(refused).isNotNull();
        assertThat(refused.getMessage())
                .contains("cannot connect to endpoint 'wronghost_pg'")
                .contains("cannot connect to endpoint 'wronghost_erp'")
                .contains("for verify-full, that the certificate names the host of the URL");
        // verify-ca checks the chain but not the name: the same URLs are accepted
        Path caOnly = writeConfig("ca-only.yaml", "caonly_pg", pgUrl, "caonly_erp", erpUrl, "caonly_wh", pgUrl, "verify-ca", "ca.crt");
        StartupException connected = catchThrowableOfType(StartupException.class, () -> Startup.loadAndCheck(caOnly));
        // it got as far as the catalog: the mapped tables are not in these databases
        assertThat(connected).isNotNull().hasMessageNotContaining("cannot connect").hasMessageContaining("account");
    }

    /**
     * A config with two maps: {@code crm.public.account -> erp.customer} and
     * {@code erp.item -> warehouse.public.article}, every endpoint with {@code tls: { mode, caFile }}.
     */
    private static Path writeConfig(String name, String crm, String crmUrl, String erp, String erpUrl, String warehouse,
                                    String warehouseUrl, String mode, String caFile) throws Exception {
        String tls = "tls: { mode: " + mode + ", caFile: " + caFile + " }";
        return Files.writeString(dir.resolve(name), """
                kafka: { bootstrap: "%s", applicationId: it-databasetlsit }
                registry: { url: "%s" }
                endpoints:
                  %s: { kind: postgres, url: "%s", user: %s, %s }
                  %s: { kind: mariadb, url: "%s", user: tls_sync, passwordFile: erp.pw, serverId: %d, %s }
                  %s: { kind: postgres, url: "%s", user: %s, %s }
                maps:
                  - name: %s
                    a: %s.public.account
                    b: %s.customer
                    key: [ { a: no, b: no } ]
                    fields:
                      - { a: no,   b: no }
                      - { a: name, b: name }
                  - name: %s
                    a: %s.item
                    b: %s.public.article
                    key: [ { a: code, b: code } ]
                    fields:
                      - { a: code,  b: code }
                      - { a: label, b: label }
                """.formatted(SharedInfrastructure.get().bootstrapServers(), SharedInfrastructure.get().registry().url(),
                crm, crmUrl, postgres.user(), tls,
                erp, erpUrl, 800_000 + new java.util.Random().nextInt(100_000), tls,
                warehouse, warehouseUrl, postgres.user(), tls,
                SharedInfrastructure.uniqueName("tlsaccounts"), crm, erp,
                SharedInfrastructure.uniqueName("tlsitems"), erp, warehouse));
    }

    private static Connection tls(String url, String user, String password) throws SQLException {
        Properties p = new Properties();
        p.setProperty("user", user);
        if (password != null) {
            p.setProperty("password", password);
        }
        return DriverManager.getConnection(url, p);
    }

    private static List<String> column(Connection c, String sql) throws SQLException {
        List<String> values = new ArrayList<>();
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            while (rs.next()) {
                values.add(rs.getString(1));
            }
        }
        return values;
    }
}
