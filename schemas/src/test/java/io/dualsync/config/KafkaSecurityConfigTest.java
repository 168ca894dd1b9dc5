package io.dualsync.config;

import io.dualsync.contract.KafkaClients;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.config.types.Password;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.security.JaasContext;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.security.auth.login.AppConfigurationEntry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/** The {@code kafka.security} block: what it accepts, what it refuses, and the client properties it becomes. */
class KafkaSecurityConfigTest {

    private static final String SCRAM_PASSWORD = "p\"w\\d-" + "7Kq";
    private static final Map<String, String> ENV = Map.of("KAFKA_PASSWORD", SCRAM_PASSWORD, "STORE_PASSWORD", "store-secret");

    private static final String REST = """
            registry: { url: http://localhost:8080 }
            endpoints:
              crm: { kind: postgres, url: jdbc:postgresql://localhost:5432/crm, user: sync }
              erp: { kind: postgres, url: jdbc:postgresql://localhost:5432/erp, user: sync }
            maps:
              - name: customers
                a: crm.public.account
                b: erp.public.customer
                key: [ { a: id, b: id } ]
                fields: [ { a: name, b: name } ]
            """;

    @TempDir
    Path dir;

    private Path write(String kafka) throws IOException {
        Files.writeString(dir.resolve("ca.p12"), "not read at load time");
        Files.writeString(dir.resolve("client.p12"), "not read at load time");
        return Files.writeString(dir.resolve("sync.yaml"), kafka + REST);
    }

    private void assertProblems(String kafka, String... expected) throws IOException {
        Path file = write(kafka);
        ConfigException e = catchThrowableOfType(ConfigException.class, () -> ConfigLoader.load(file, ENV));
        assertThat(e).as("expected problems, but the config loaded").isNotNull();
        assertThat(e.problems()).map(ConfigProblem::toString)
                .containsExactlyElementsOf(Arrays.stream(expected).map(p -> file + ":" + p).toList());
        assertThat(e.getMessage()).doesNotContain(SCRAM_PASSWORD).doesNotContain("store-secret");
    }

    private static Map<String, Object> producerProperties(SyncConfig config) {
        Map<String, Object> p = new HashMap<>(KafkaClients.common(config.kafka()));
        p.put("key.serializer", StringSerializer.class);
        p.put("value.serializer", StringSerializer.class);
        return p;
    }

    @Test
    void shouldGiveEveryClientSaslScramOverTlsWithThePasswordFromTheEnvironment() throws IOException {
        SyncConfig config = ConfigLoader.load(write("""
                kafka:
                  bootstrap: broker:9093
                  security:
                    protocol: SASL_SSL
                    truststoreFile: ca.p12
                    truststorePasswordEnv: STORE_PASSWORD
                    sasl: { mechanism: SCRAM-SHA-512, username: dualsync, passwordEnv: KAFKA_PASSWORD }
                """), ENV);

        ProducerConfig producer = new ProducerConfig(producerProperties(config));
        assertThat(producer.getString("security.protocol")).isEqualTo("SASL_SSL");
        assertThat(producer.getString("sasl.mechanism")).isEqualTo("SCRAM-SHA-512");
        assertThat(producer.getString("ssl.truststore.location")).isEqualTo(dir.resolve("ca.p12").toString());
        assertThat(producer.getString("ssl.truststore.type")).isEqualTo("PKCS12");
        assertThat(producer.getPassword("ssl.truststore.password").value()).isEqualTo("store-secret");
        // Kafka's own JAAS parser reads back exactly the user and password, quotes and backslashes included
        Password jaas = producer.getPassword("sasl.jaas.config");
        AppConfigurationEntry entry = JaasContext.loadClientContext(Map.of("sasl.jaas.config", jaas)).configurationEntries().get(0);
        assertThat(entry.getLoginModuleName()).isEqualTo("org.apache.kafka.common.security.scram.ScramLoginModule");
        assertThat(entry.getOptions().get("username")).isEqualTo("dualsync");
        assertThat(entry.getOptions().get("password")).isEqualTo(SCRAM_PASSWORD);
        assertThat(config.kafka().toString()).doesNotContain(SCRAM_PASSWORD).doesNotContain("store-secret")
                .contains("env KAFKA_PASSWORD");
    }

    @Test
    void shouldGiveEveryClientItsCertificateForMutualTlsWithPasswordsFromFiles() throws IOException {
        Files.writeString(dir.resolve("store.pw"), "store-secret\n");
        SyncConfig config = ConfigLoader.load(write("""
                kafka:
                  bootstrap: broker:9093
                  security:
                    protocol: SSL
                    truststoreFile: ca.p12
                    truststorePasswordFile: store.pw
                    keystoreFile: client.p12
                    keystorePasswordFile: store.pw
                """), ENV);

        ProducerConfig producer = new ProducerConfig(producerProperties(config));
        assertThat(producer.getString("security.protocol")).isEqualTo("SSL");
        assertThat(producer.getString("ssl.keystore.location")).isEqualTo(dir.resolve("client.p12").toString());
        assertThat(producer.getPassword("ssl.keystore.password").value()).isEqualTo("store-secret");
        assertThat(producer.getPassword("ssl.key.password").value()).isEqualTo("store-secret");
        assertThat(producer.getString("sasl.mechanism")).isEqualTo("GSSAPI"); // Kafka's default: unused without SASL
        assertThat(config.kafka().security().describe()).isEqualTo("SSL with client certificate client.p12");
    }

    @Test
    void shouldLeaveClientsOnPlaintextWithoutASecurityBlock() throws IOException {
        SyncConfig config = ConfigLoader.load(write("kafka: { bootstrap: localhost:9092 }\n"), ENV);

        assertThat(config.kafka().security()).isEqualTo(KafkaSecurity.NONE);
        assertThat(KafkaClients.common(config.kafka())).containsOnlyKeys("bootstrap.servers");
    }

    @Test
    void shouldRefuseSaslWithoutTlsAndPasswordsWrittenInTheFile() throws IOException {
        assertProblems("""
                kafka:
                  bootstrap: broker:9093
                  security:
                    protocol: SASL_PLAINTEXT
                    truststorePassword: store-secret
                    sasl: { username: dualsync, password: %s }
                """.formatted(SCRAM_PASSWORD.replace("\"", "").replace("\\", "")),
                "4:15: kafka.security.protocol: 'SASL_PLAINTEXT' is not a supported protocol. Fix: dualsync sends SASL"
                        + " passwords only over TLS: write SASL_SSL and give the broker a TLS listener",
                "5:5: kafka.security.truststorePassword: a password must not be written in the config file. Fix: write"
                        + " truststorePasswordEnv: NAME (an environment variable) or truststorePasswordFile: /path/to/file instead",
                "6:11: kafka.security.sasl.passwordEnv: required key is missing. Fix: add passwordEnv: NAME or passwordFile: /path/to/file",
                "6:33: kafka.security.sasl.password: a password must not be written in the config file. Fix: write"
                        + " passwordEnv: NAME (an environment variable) or passwordFile: /path/to/file instead");
    }

    @Test
    void shouldReportMissingFilesUnsetVariablesAndContradictions() throws IOException {
        assertProblems("""
                kafka:
                  bootstrap: broker:9093
                  properties: { security.protocol: PLAINTEXT, linger.ms: 5 }
                  security:
                    protocol: SSL
                    truststoreFile: missing-ca.p12
                    keystoreFile: client.p12
                    sasl: { username: dualsync, passwordEnv: NOT_SET }
                """,
                "3:17: kafka.properties.security.protocol: kafka.security sets security.protocol, so it must not be set"
                        + " here as well. Fix: remove it from kafka.properties",
                "6:21: kafka.security.truststoreFile: cannot read " + dir.resolve("missing-ca.p12")
                        + ". Fix: check the path (relative paths start at the config file's directory) and its permissions",
                "7:19: kafka.security.keystoreFile: a key store needs its password. Fix: add keystorePasswordEnv: NAME"
                        + " or keystorePasswordFile: /path/to/file",
                "8:5: kafka.security.sasl: sasl is set but the protocol is SSL, which sends no SASL user. Fix: write"
                        + " protocol: SASL_SSL, or remove sasl");
    }

    @Test
    void shouldNameTheLoginProblemWithoutThePassword() throws IOException {
        SyncConfig config = ConfigLoader.load(write("""
                kafka:
                  bootstrap: broker:9093
                  security:
                    protocol: SASL_SSL
                    sasl: { mechanism: SCRAM-SHA-256, username: dualsync, passwordEnv: KAFKA_PASSWORD }
                """), ENV);

        String message = KafkaClients.describeFailure(config.kafka(), new java.util.concurrent.ExecutionException(
                new SaslAuthenticationException("Authentication failed during authentication due to invalid credentials"
                        + " with SASL mechanism SCRAM-SHA-256")));
        assertThat(message).startsWith("Kafka at broker:9093 refused the login (SASL_SSL (SCRAM-SHA-256 as user 'dualsync')):"
                + " Authentication failed").doesNotContain(SCRAM_PASSWORD);
        assertThat(config.kafka().security().truststore()).as("no trust store: the JVM's default CAs").isEmpty();
    }
}
