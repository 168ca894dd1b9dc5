package io.dualsync.config;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Reads {@code kafka.security}: {@code protocol} ({@code SSL} or {@code SASL_SSL}),
 * {@code truststoreFile}, {@code keystoreFile} (mutual TLS), their passwords as
 * {@code truststorePasswordEnv|File}, {@code keystorePasswordEnv|File}, {@code keyPasswordEnv|File},
 * and for SASL_SSL {@code sasl: { mechanism, username, passwordEnv|passwordFile }}. Relative file
 * paths start at the config file's directory; every file must be readable at load time, so a wrong
 * path is reported with its line instead of as a TLS failure later. Passwords are never written
 * in the file, and no message here repeats one.
 */
final class KafkaSecurityReader {

    /** Includes the inline password keys, which are refused with their own message rather than as unknown. */
    static final List<String> KEYS = List.of("protocol", "truststoreFile", "truststorePassword", "truststorePasswordEnv",
            "truststorePasswordFile", "keystoreFile", "keystorePassword", "keystorePasswordEnv", "keystorePasswordFile",
            "keyPassword", "keyPasswordEnv", "keyPasswordFile", "sasl");
    private static final List<String> SASL_KEYS = List.of("mechanism", "username", "password", "passwordEnv", "passwordFile");
    private static final List<String> PROTOCOLS = List.of("SSL", "SASL_SSL");
    private static final List<String> MECHANISMS = List.of("SCRAM-SHA-512", "SCRAM-SHA-256", "PLAIN");
    /** Client properties the security block sets: writing them in kafka.properties as well is ambiguous. */
    static final Set<String> OWNED_PROPERTIES = Set.of("security.protocol", "ssl.truststore.location", "ssl.truststore.type",
            "ssl.truststore.password", "ssl.keystore.location", "ssl.keystore.type", "ssl.keystore.password",
            "ssl.key.password", "sasl.mechanism", "sasl.jaas.config");

    private final SecretReader secrets;

    KafkaSecurityReader(Path file, Map<String, String> env) {
        this.secrets = new SecretReader(file, env);
    }

    /** The security block, {@link KafkaSecurity#NONE} when absent, {@code null} when it has problems (reported). */
    KafkaSecurity read(ConfigNode node) {
        if (!node.present()) {
            return KafkaSecurity.NONE;
        }
        if (!node.expectMapping("security: { protocol: SASL_SSL, truststoreFile: ca.p12, sasl: { mechanism: SCRAM-SHA-512,"
                + " username: dualsync, passwordEnv: KAFKA_PASSWORD } }")) {
            return null;
        }
        int before = node.problems.list.size();
        node.allowOnly(KEYS);
        for (String inline : List.of("password", "truststorePassword", "keystorePassword", "keyPassword")) {
            if (node.child(inline).present()) {
                node.child(inline).keyProblem("a password must not be written in the config file",
                        "write " + inline + "Env: NAME (an environment variable) or " + inline + "File: /path/to/file instead");
            }
        }
        String protocol = protocol(node.required("protocol", "add protocol: SSL (TLS) or SASL_SSL (TLS and a SASL user)"));
        Optional<Path> truststore = secrets.readableFile(node.child("truststoreFile"));
        Secret truststorePassword = secret(node, "truststorePassword");
        Optional<Path> keystore = secrets.readableFile(node.child("keystoreFile"));
        Secret keystorePassword = secret(node, "keystorePassword");
        Secret keyPassword = secret(node, "keyPassword");
        if (keystore.isPresent() && keystorePassword == null && !"PEM".equals(KafkaSecurity.storeType(keystore.get()))
                && !node.child("keystorePasswordEnv").present() && !node.child("keystorePasswordFile").present()) {
            node.child("keystoreFile").problem("a key store needs its password",
                    "add keystorePasswordEnv: NAME or keystorePasswordFile: /path/to/file");
        }
        if (keystore.isEmpty() && (node.child("keystorePasswordEnv").present() || node.child("keystorePasswordFile").present()
                || node.child("keyPasswordEnv").present() || node.child("keyPasswordFile").present())) {
            node.problem("a key store password is given but no keystoreFile",
                    "add keystoreFile: <this client's certificate and key> for mutual TLS, or remove the password");
        }
        if (truststore.isEmpty() && (node.child("truststorePasswordEnv").present() || node.child("truststorePasswordFile").present())) {
            node.problem("a trust store password is given but no truststoreFile", "add truststoreFile: <the CA certificates>");
        }
        ConfigNode saslNode = node.child("sasl");
        Optional<KafkaSecurity.Sasl> sasl = Optional.empty();
        if ("SASL_SSL".equals(protocol) && !saslNode.present()) {
            node.required("sasl", "add sasl: { mechanism: SCRAM-SHA-512, username: <Kafka user>, passwordEnv: KAFKA_PASSWORD }");
        } else if ("SSL".equals(protocol) && saslNode.present()) {
            saslNode.keyProblem("sasl is set but the protocol is SSL, which sends no SASL user",
                    "write protocol: SASL_SSL, or remove sasl");
        } else if (saslNode.present()) {
            sasl = sasl(saslNode);
        }
        if (node.problems.list.size() > before || protocol == null) {
            return null;
        }
        return new KafkaSecurity(protocol, truststore, truststorePassword, keystore, keystorePassword, keyPassword, sasl);
    }

    private static String protocol(ConfigNode node) {
        Optional<String> text = node.text();
        if (text.isEmpty()) {
            return null;
        }
        if (PROTOCOLS.contains(text.get())) {
            return text.get();
        }
        String fix = text.get().equals("SASL_PLAINTEXT")
                ? "dualsync sends SASL passwords only over TLS: write SASL_SSL and give the broker a TLS listener"
                : "use SSL (TLS, with keystoreFile for mutual TLS) or SASL_SSL (TLS and a SASL user); leave security out for PLAINTEXT";
        node.problem("'" + text.get() + "' is not a supported protocol", fix);
        return null;
    }

    private Optional<KafkaSecurity.Sasl> sasl(ConfigNode node) {
        if (!node.expectMapping("sasl: { mechanism: SCRAM-SHA-512, username: dualsync, passwordEnv: KAFKA_PASSWORD }")) {
            return Optional.empty();
        }
        node.allowOnly(SASL_KEYS);
        if (node.child("password").present()) {
            node.child("password").keyProblem("a password must not be written in the config file",
                    "write passwordEnv: NAME (an environment variable) or passwordFile: /path/to/file instead");
        }
        ConfigNode mechanismNode = node.child("mechanism");
        String mechanism = mechanismNode.text().orElse("SCRAM-SHA-512");
        if (!MECHANISMS.contains(mechanism)) {
            mechanismNode.problem("'" + mechanism + "' is not a supported SASL mechanism", "use one of " + String.join(", ", MECHANISMS));
        }
        String username = node.requiredText("username", "add username: <the Kafka user dualsync connects as>");
        Secret password = secret(node, "password");
        if (password == null && !node.child("passwordEnv").present() && !node.child("passwordFile").present()) {
            node.required("passwordEnv", "add passwordEnv: NAME or passwordFile: /path/to/file");
        }
        return username == null || password == null ? Optional.empty()
                : Optional.of(new KafkaSecurity.Sasl(mechanism, username, password));
    }

    /** {@code <name>Env} or {@code <name>File} of {@code node}; {@code null} when neither is given or it cannot be read (reported). */
    private Secret secret(ConfigNode node, String name) {
        return secrets.read(node, name, "set {} before starting dualsync");
    }
}
