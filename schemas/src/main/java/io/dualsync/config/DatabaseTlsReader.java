package io.dualsync.config;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads {@code endpoints.<name>.tls}: {@code { mode: verify-full | verify-ca | require, caFile: PATH }}.
 * The mode defaults to {@code verify-full}; the verifying modes need {@code caFile} (a PEM file,
 * relative paths start at the config file's directory, readable at load time), {@code require}
 * refuses one (pgjdbc would then check the chain after all, as libpq does, while MariaDB's driver
 * would not: one meaning for both needs no CA file). With the block, TLS parameters in the JDBC
 * URL are refused: the driver would let the URL win over the block for some connections and not
 * for others (Debezium builds its own), so one of the two would be silently ignored.
 */
final class DatabaseTlsReader {

    private static final List<String> KEYS = List.of("mode", "caFile");
    /** {@code ssl}, {@code sslmode}, {@code sslrootcert}, {@code useSsl}, {@code serverSslCert}, {@code trustStore}, ... */
    private static final Pattern URL_TLS_PARAMETER = Pattern.compile("(?i)[?&;]([a-z_.]*(?:ssl|trust|servercert)[a-z_.]*)=");

    private final SecretReader paths;

    DatabaseTlsReader(SecretReader paths) {
        this.paths = paths;
    }

    /** The block, empty when absent or wrong (reported on {@code node}). */
    Optional<DatabaseTls> read(ConfigNode node, String url) {
        if (!node.present()) {
            return Optional.empty();
        }
        if (!node.expectMapping("tls: { mode: verify-full, caFile: /etc/dualsync/db-ca.pem }")) {
            return Optional.empty();
        }
        int before = node.problems.list.size();
        node.allowOnly(KEYS);
        DatabaseTls.Mode mode = mode(node.child("mode"));
        ConfigNode caNode = node.child("caFile");
        Optional<Path> caFile = paths.readableFile(caNode);
        if (mode != null && mode.verifiesCertificate() && !caNode.present()) {
            node.required("caFile", "add caFile: <PEM file of the CA that signed the database server's certificate>,"
                    + " or write mode: require to encrypt without checking the certificate");
        }
        if (mode == DatabaseTls.Mode.REQUIRE && caNode.present()) {
            caNode.keyProblem("mode require does not check the server's certificate, so a CA file would be ignored",
                    "write mode: verify-full (or verify-ca) to check the certificate against it, or remove caFile");
        }
        if (url != null) {
            Matcher m = URL_TLS_PARAMETER.matcher(url);
            if (m.find()) {
                node.keyProblem("the JDBC URL sets TLS parameter '" + m.group(1) + "' as well as this tls block,"
                        + " and the two would disagree for some connections", "remove '" + m.group(1) + "' from the URL: tls sets it");
            }
        }
        if (node.problems.list.size() > before || mode == null) {
            return Optional.empty();
        }
        return Optional.of(new DatabaseTls(mode, caFile));
    }

    private static DatabaseTls.Mode mode(ConfigNode node) {
        Optional<String> text = node.text();
        if (text.isEmpty()) {
            return DatabaseTls.Mode.VERIFY_FULL;
        }
        for (DatabaseTls.Mode m : DatabaseTls.Mode.values()) {
            if (m.configName().equals(text.get())) {
                return m;
            }
        }
        String fix = text.get().equals("disable") || text.get().equals("prefer") || text.get().equals("allow")
                ? "leave tls out for an unencrypted connection; with tls, use one of " + modes()
                : "use one of " + modes();
        node.problem("'" + text.get() + "' is not a TLS mode", fix);
        return null;
    }

    private static String modes() {
        return String.join(", ", Arrays.stream(DatabaseTls.Mode.values()).map(DatabaseTls.Mode::configName).toList());
    }
}
