package io.dualsync.it;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.KeyStore;
import java.util.Base64;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * A throw-away certificate authority and certificates signed by it, made with the JDK's
 * {@code keytool} (run as a process, as an operator would): a PKCS12 trust store holding the CA,
 * and PKCS12 key stores for a broker (its certificate names {@code localhost} and
 * {@code 127.0.0.1}, so host name verification passes) and for a client (mutual TLS). Every store
 * has the same random password. Valid for two days; nothing outside {@code dir} is touched.
 */
record TestCertificates(Path truststore, Path brokerKeystore, Path clientKeystore, String password) {

    private static final Path KEYTOOL = Path.of(System.getProperty("java.home"), "bin", "keytool");

    static TestCertificates create(Path dir) throws IOException, InterruptedException {
        String password = "store-" + UUID.randomUUID();
        Path ca = dir.resolve("ca.p12");
        Path caCert = newCa(dir, ca, password);
        Path truststore = dir.resolve("truststore.p12");
        keytool("-importcert", "-noprompt", "-alias", "ca", "-file", caCert.toString(),
                "-keystore", truststore.toString(), "-storepass", password);
        Path broker = signed(dir, "broker", "CN=localhost", "SAN=dns:localhost,ip:127.0.0.1", ca, caCert, password);
        Path client = signed(dir, "client", "CN=dualsync", null, ca, caCert, password);
        return new TestCertificates(truststore, broker, client, password);
    }

    /**
     * PEM files for a database server, as PostgreSQL and MariaDB read them: a new CA's certificate
     * ({@code ca.crt}), a server certificate signed by it that names {@code localhost} only (so a
     * client reaching the server as {@code 127.0.0.1} meets a certificate for another host), and
     * its unencrypted PKCS#8 key, readable by the owner only (PostgreSQL refuses a looser key file).
     */
    static DatabaseCertificates createForDatabase(Path dir) throws IOException, InterruptedException, GeneralSecurityException {
        Files.createDirectories(dir);
        String password = "store-" + UUID.randomUUID();
        Path ca = dir.resolve("ca.p12");
        Path caCert = newCa(dir, ca, password);
        Path server = signed(dir, "server", "CN=localhost", "SAN=dns:localhost", ca, caCert, password);
        Path key = dir.resolve("server.key");
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(server)) {
            store.load(in, password.toCharArray());
        }
        Key privateKey = store.getKey("server", password.toCharArray());
        Files.writeString(key, "-----BEGIN PRIVATE KEY-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(privateKey.getEncoded())
                + "\n-----END PRIVATE KEY-----\n");
        Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-------"));
        return new DatabaseCertificates(caCert, dir.resolve("server.crt"), key);
    }

    /** PEM files of a database server's TLS. */
    record DatabaseCertificates(Path caFile, Path certificateFile, Path keyFile) {
    }

    /** A new CA key pair in {@code store}; returns its certificate as PEM ({@code ca.crt}). */
    private static Path newCa(Path dir, Path store, String password) throws IOException, InterruptedException {
        Path caCert = dir.resolve("ca.crt");
        keytool("-genkeypair", "-alias", "ca", "-dname", "CN=dualsync test CA", "-ext", "bc:c",
                "-keystore", store.toString(), "-storepass", password);
        keytool("-exportcert", "-rfc", "-alias", "ca", "-file", caCert.toString(), "-keystore", store.toString(), "-storepass", password);
        return caCert;
    }

    /** A key store holding a new key and its certificate signed by the CA, with the CA certificate as chain. */
    private static Path signed(Path dir, String name, String dname, String san, Path ca, Path caCert, String password)
            throws IOException, InterruptedException {
        Path store = dir.resolve(name + ".p12");
        Path request = dir.resolve(name + ".csr");
        Path cert = dir.resolve(name + ".crt");
        keytool("-genkeypair", "-alias", name, "-dname", dname, "-keystore", store.toString(), "-storepass", password);
        keytool("-certreq", "-alias", name, "-file", request.toString(), "-keystore", store.toString(), "-storepass", password);
        List<String> gencert = new ArrayList<>(List.of("-gencert", "-rfc", "-alias", "ca", "-infile", request.toString(),
                "-outfile", cert.toString(), "-keystore", ca.toString(), "-storepass", password,
                // the broker's certificate serves as its client certificate too (it logs in to itself)
                "-ext", "EKU=serverAuth,clientAuth"));
        if (san != null) {
            gencert.addAll(List.of("-ext", san));
        }
        keytool(gencert.toArray(String[]::new));
        keytool("-importcert", "-noprompt", "-alias", "ca", "-file", caCert.toString(), "-keystore", store.toString(), "-storepass", password);
        keytool("-importcert", "-alias", name, "-file", cert.toString(), "-keystore", store.toString(), "-storepass", password);
        return store;
    }

    private static void keytool(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(KEYTOOL.toString()));
        command.addAll(List.of(args));
        // EC keys are quick to make; PKCS12 is the JDK's default store type
        if (args[0].equals("-genkeypair")) {
            command.addAll(List.of("-keyalg", "EC", "-groupname", "secp256r1", "-validity", "2", "-storetype", "PKCS12"));
        }
        if (args[0].equals("-gencert")) {
            command.addAll(List.of("-validity", "2"));
        }
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        byte[] output = process.getInputStream().readAllBytes();
        if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
            throw new IllegalStateException("keytool " + args[0] + " failed: " + new String(output, StandardCharsets.UTF_8));
        }
    }

    @Override
    public String toString() {
        return "TestCertificates[" + truststore.getParent() + "]";
    }
}
