package io.dualsync.capture;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.util.UUID;

/**
 * A PKCS12 trust store holding the CA certificates of a PEM file, for Debezium's MariaDB binlog
 * client, which takes its trust only as a key store ({@code database.ssl.truststore}), while the
 * config names a PEM file as the PostgreSQL and MariaDB drivers read it. Written to a temporary
 * file (deleted when the JVM exits) with a random password; it holds public certificates only.
 *
 * @param file     the trust store
 * @param password its password
 */
record CaTrustStore(Path file, String password) {

    static CaTrustStore fromPem(Path pem) {
        try (InputStream in = Files.newInputStream(pem)) {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            int i = 0;
            for (Certificate certificate : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
                store.setCertificateEntry("ca-" + i++, certificate);
            }
            if (i == 0) {
                throw new IllegalArgumentException(pem + " holds no PEM certificate");
            }
            String password = UUID.randomUUID().toString();
            Path file = Files.createTempFile("dualsync-ca-", ".p12");
            file.toFile().deleteOnExit();
            try (OutputStream out = Files.newOutputStream(file)) {
                store.store(out, password.toCharArray());
            }
            return new CaTrustStore(file, password);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the CA certificates of " + pem, e);
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("cannot read the CA certificates of " + pem + ": " + e.getMessage(), e);
        }
    }

    @Override
    public String toString() {
        return "CaTrustStore[" + file + "]";
    }
}
