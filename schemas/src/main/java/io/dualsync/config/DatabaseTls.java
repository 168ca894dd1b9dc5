package io.dualsync.config;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * TLS to one database endpoint, read from {@code endpoints.<name>.tls}. {@link #jdbcProperties}
 * turns it into the JDBC driver's connection properties, the one place where that translation
 * happens for plain JDBC connections (apply, catalog reads, verify, resync, bookkeeping, capture's
 * checks); capture turns it into Debezium's settings ({@code PostgresSource}, {@code MariaDbSource}).
 *
 * @param mode   how much of the server's certificate is checked
 * @param caFile PEM file of the CA certificates that signed the server's certificate; present for
 *               {@link Mode#VERIFY_CA} and {@link Mode#VERIFY_FULL}, empty for {@link Mode#REQUIRE}
 */
public record DatabaseTls(Mode mode, Optional<Path> caFile) {

    /** libpq's names, which both drivers understand in spirit; the config spells them lower-case with dashes. */
    public enum Mode {
        /** Encrypted, the certificate is not checked: protects against eavesdropping only. */
        REQUIRE("require", "require", "trust"),
        /** Encrypted, the certificate must be signed by the CA; the host name is not checked. */
        VERIFY_CA("verify-ca", "verify-ca", "verify-ca"),
        /** Encrypted, signed by the CA, and the certificate names the host of the JDBC URL. */
        VERIFY_FULL("verify-full", "verify-full", "verify-full");

        private final String configName;
        private final String postgres;
        private final String mariadb;

        Mode(String configName, String postgres, String mariadb) {
            this.configName = configName;
            this.postgres = postgres;
            this.mariadb = mariadb;
        }

        public String configName() {
            return configName;
        }

        /** pgjdbc's {@code sslmode} (Debezium's {@code database.sslmode}). */
        public String postgres() {
            return postgres;
        }

        /** MariaDB Connector/J's {@code sslMode} (Debezium's {@code database.ssl.mode}). */
        public String mariadb() {
            return mariadb;
        }

        /** Whether the server's certificate chain is checked against {@link #caFile()}. */
        public boolean verifiesCertificate() {
            return this != REQUIRE;
        }
    }

    /**
     * The driver properties for this setting: PostgreSQL {@code sslmode} and {@code sslrootcert},
     * MariaDB {@code sslMode} and {@code serverSslCert}. They hold no secret.
     */
    public Map<String, String> jdbcProperties(EndpointKind kind) {
        Map<String, String> p = new LinkedHashMap<>();
        if (kind == EndpointKind.POSTGRES) {
            p.put("sslmode", mode.postgres());
            caFile.ifPresent(file -> p.put("sslrootcert", file.toString()));
        } else {
            p.put("sslMode", mode.mariadb());
            caFile.ifPresent(file -> p.put("serverSslCert", file.toString()));
        }
        return p;
    }

    /** For logs and messages: {@code verify-full (CA ca.pem)}. */
    public String describe() {
        return mode.configName() + caFile.map(f -> " (CA " + f.getFileName() + ")").orElse("");
    }
}
