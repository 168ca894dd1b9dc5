package io.dualsync.config;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * How every dualsync Kafka client reaches the broker: plain ({@link #NONE}), TLS ({@code SSL},
 * server-verified, and mutual when a key store is given) or SASL over TLS ({@code SASL_SSL}, with
 * SCRAM-SHA-512, SCRAM-SHA-256 or PLAIN). Read from the {@code kafka.security} block of the
 * config; {@link #clientProperties()} turns it into Kafka client properties, the one place where
 * that translation happens, so producers, consumers, admin clients, Streams and Debezium's internal
 * clients all connect the same way.
 *
 * <p>Passwords are {@link Secret}s read from environment variables or files; {@link #toString()}
 * shows where they came from, never their value. The server's host name is always verified
 * against its certificate (Kafka's default {@code ssl.endpoint.identification.algorithm=https}).
 *
 * @param protocol           {@code PLAINTEXT}, {@code SSL} or {@code SASL_SSL}
 * @param truststore         CA certificates that sign the broker's certificate; empty: the JVM's default trust
 * @param truststorePassword the trust store's password, or {@code null} when it has none (PEM)
 * @param keystore           this client's certificate and key, for mutual TLS; empty: no client certificate
 * @param keystorePassword   the key store's password, or {@code null} (PEM without encryption)
 * @param keyPassword        the private key's own password, or {@code null} when it is the key store's
 * @param sasl               user name and password for {@code SASL_SSL}
 */
public record KafkaSecurity(String protocol, Optional<Path> truststore, Secret truststorePassword,
                            Optional<Path> keystore, Secret keystorePassword, Secret keyPassword,
                            Optional<Sasl> sasl) {

    /** No security settings: the broker's PLAINTEXT listener (and whatever {@code kafka.properties} adds). */
    public static final KafkaSecurity NONE = new KafkaSecurity("PLAINTEXT", Optional.empty(), null,
            Optional.empty(), null, null, Optional.empty());

    /**
     * SASL credentials.
     *
     * @param mechanism {@code SCRAM-SHA-512}, {@code SCRAM-SHA-256} or {@code PLAIN}
     * @param username  the Kafka user
     * @param password  its password
     */
    public record Sasl(String mechanism, String username, Secret password) {

        /** The JAAS login module Kafka's client needs for {@link #mechanism}. */
        String loginModule() {
            return mechanism.equals("PLAIN") ? "org.apache.kafka.common.security.plain.PlainLoginModule"
                    : "org.apache.kafka.common.security.scram.ScramLoginModule";
        }
    }

    /** Whether this is anything but {@link #NONE}. */
    public boolean enabled() {
        return !protocol.equals("PLAINTEXT");
    }

    /**
     * The Kafka client properties for this setting: {@code security.protocol}, the {@code ssl.*}
     * stores with their types taken from the file names ({@code .p12}/{@code .pfx} PKCS12,
     * {@code .pem} PEM, else JKS), and {@code sasl.mechanism} with {@code sasl.jaas.config}. The
     * map holds passwords: never log it.
     */
    public Map<String, String> clientProperties() {
        return clientProperties(Secret::value);
    }

    /**
     * {@link #clientProperties()} with each secret written as {@code secrets} renders it: its
     * value, or a reference that the eventual reader resolves (a Kafka Connect config provider,
     * {@link Secret#connectReference()}).
     */
    public Map<String, String> clientProperties(Function<Secret, String> secrets) {
        Map<String, String> p = new LinkedHashMap<>();
        if (!enabled()) {
            return p;
        }
        p.put("security.protocol", protocol);
        truststore.ifPresent(file -> {
            p.put("ssl.truststore.location", file.toString());
            p.put("ssl.truststore.type", storeType(file));
            if (truststorePassword != null) {
                p.put("ssl.truststore.password", secrets.apply(truststorePassword));
            }
        });
        keystore.ifPresent(file -> {
            p.put("ssl.keystore.location", file.toString());
            p.put("ssl.keystore.type", storeType(file));
            if (keystorePassword != null) {
                p.put("ssl.keystore.password", secrets.apply(keystorePassword));
            }
            Secret key = keyPassword != null ? keyPassword : keystorePassword;
            if (key != null) {
                p.put("ssl.key.password", secrets.apply(key));
            }
        });
        sasl.ifPresent(s -> {
            p.put("sasl.mechanism", s.mechanism());
            p.put("sasl.jaas.config", s.loginModule() + " required username=\"" + jaasQuoted(s.username())
                    + "\" password=\"" + jaasQuoted(secrets.apply(s.password())) + "\";");
        });
        return p;
    }

    /** A short description without secrets, for logs and error messages: {@code SASL_SSL (SCRAM-SHA-512 as user 'sync')}. */
    public String describe() {
        StringBuilder s = new StringBuilder(protocol);
        sasl.ifPresent(a -> s.append(" (").append(a.mechanism()).append(" as user '").append(a.username()).append("')"));
        if (keystore.isPresent()) {
            s.append(" with client certificate ").append(keystore.get().getFileName());
        }
        return s.toString();
    }

    static String storeType(Path file) {
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        if (name.endsWith(".p12") || name.endsWith(".pfx")) {
            return "PKCS12";
        }
        return name.endsWith(".pem") || name.endsWith(".crt") ? "PEM" : "JKS";
    }

    /** Kafka's JAAS parser reads double-quoted values with backslash escapes. */
    private static String jaasQuoted(String value) {
        return value.replace("\\", "\\\\").replace("\"", "\\\"");
    }
}
