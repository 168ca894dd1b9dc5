package io.dualsync.config;

import java.nio.file.Path;
import java.time.DateTimeException;
import java.time.ZoneId;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Reads the {@code endpoints:} section: a mapping from endpoint name to
 * {@code { kind, url, user, passwordEnv | passwordFile, slot, publication, serverId, timezone, tls }}
 * ({@code tls}: {@link DatabaseTlsReader}).
 *
 * <p>Passwords are never written in the file: {@code passwordEnv} names an environment variable,
 * {@code passwordFile} a file (relative to the config file's directory; one trailing line break is
 * dropped). With neither, the endpoint connects without a password ({@link Endpoint#password()}
 * is {@code null}). Slot and publication default to {@code dualsync_<name>}, lower-cased with
 * {@code -} turned into {@code _} since PostgreSQL slot names allow only {@code [a-z0-9_]}.
 * A MariaDB endpoint needs a {@code serverId}, its own: the capture reads the binlog as a replica
 * with that id, and two replicas with one id disconnect each other.
 */
final class EndpointsReader {

    static final Pattern NAME = Pattern.compile("[A-Za-z0-9_-]+");
    /** A URL parameter named {@code password} or {@code ...password} ({@code sslpassword}, {@code trustStorePassword}). */
    private static final Pattern URL_PASSWORD = Pattern.compile("(?i)[?&;][a-z_.]*password=");
    /** {@code //user:password@host}. */
    private static final Pattern URL_USER_INFO = Pattern.compile("//[^/?@]*:[^/?@]*@");
    private static final String PASSWORD_FIX = "move it to an environment variable and write passwordEnv: NAME, or to a file"
            + " (a mounted Kubernetes secret, say) and write passwordFile: /path/to/file";
    private static final Pattern SLOT = Pattern.compile("[a-z0-9_]{1,63}");
    private static final List<String> KEYS = List.of("kind", "url", "user", "password", "passwordEnv",
            "passwordFile", "slot", "publication", "serverId", "timezone", "tls");

    private final SecretReader secrets;
    private final DatabaseTlsReader tls;
    /** Every endpoint name written in the file, valid or not, with its kind where readable. */
    final Map<String, Optional<EndpointKind>> declared = new LinkedHashMap<>();
    /** The database named in each readable JDBC URL: the schema of two-part MariaDB table references. */
    final Map<String, String> databases = new LinkedHashMap<>();
    /** The endpoint that claimed each MariaDB replica server id: ids must differ per endpoint. */
    private final Map<Long, String> serverIds = new LinkedHashMap<>();

    EndpointsReader(Path file, Map<String, String> env) {
        this.secrets = new SecretReader(file, env);
        this.tls = new DatabaseTlsReader(secrets);
    }

    Map<String, Endpoint> read(ConfigNode endpoints) {
        Map<String, Endpoint> result = new LinkedHashMap<>();
        if (!endpoints.expectMapping("endpoints: { crm: { kind: postgres, url: ..., user: ... } }")) {
            return result;
        }
        if (endpoints.fieldNames().isEmpty()) {
            endpoints.problem("no endpoints are defined", "add at least the two databases the maps connect");
        }
        for (Map.Entry<String, ConfigNode> entry : endpoints.entries()) {
            Endpoint endpoint = endpoint(entry.getKey(), entry.getValue());
            if (endpoint != null) {
                result.put(endpoint.name(), endpoint);
            }
        }
        return result;
    }

    private Endpoint endpoint(String name, ConfigNode node) {
        int before = node.problems.list.size();
        declared.put(name, Optional.empty());
        if (!NAME.matcher(name).matches()) {
            node.keyProblem("'" + name + "' is not a valid endpoint name: it becomes part of topic, slot and group names",
                    "use only letters, digits, '_' and '-'");
        }
        if (!node.expectMapping("{ kind: postgres, url: jdbc:postgresql://localhost:5432/" + name + ", user: sync }")) {
            return null;
        }
        node.allowOnly(KEYS);
        EndpointKind kind = kind(node.required("kind", "add kind: postgres (or mariadb)"));
        declared.put(name, Optional.ofNullable(kind));
        String url = url(node.required("url", "add url: jdbc:postgresql://host:5432/database"), kind, name);
        String user = node.requiredText("user", "add user: <database user>");
        Secret password = password(node);
        String slot = slotName(node.child("slot"), name);
        String publication = node.text("publication").orElse(defaultSlot(name));
        Optional<Long> serverId = kind == EndpointKind.MARIADB
                ? serverId(node.required("serverId", "add serverId: <a number from 1 to 4294967295 that neither the server"
                        + " nor any of its replicas uses> (the binlog is read as a replica with this id)"))
                : serverId(node.child("serverId"));
        String timezone = timezone(node.child("timezone"));
        Optional<DatabaseTls> tlsSettings = tls.read(node.child("tls"), url);
        serverId.ifPresent(id -> {
            String other = serverIds.putIfAbsent(id, name);
            if (other != null) {
                node.child("serverId").problem("server id " + id + " is already used by endpoint '" + other + "'",
                        "give every mariadb endpoint its own serverId");
            }
        });
        if (node.problems.list.size() > before) {
            return null;
        }
        return new Endpoint(name, kind, url, user, password, slot, publication, serverId, timezone, tlsSettings);
    }

    private static EndpointKind kind(ConfigNode node) {
        Optional<String> text = node.text();
        if (text.isEmpty()) {
            return null;
        }
        for (EndpointKind k : EndpointKind.values()) {
            if (k.configName().equals(text.get())) {
                return k;
            }
        }
        node.problem("'" + text.get() + "' is not a supported kind", "use one of postgres, mariadb");
        return null;
    }

    private String url(ConfigNode node, EndpointKind kind, String name) {
        Optional<String> text = node.text();
        if (text.isEmpty()) {
            return null;
        }
        if (URL_PASSWORD.matcher(text.get()).find() || URL_USER_INFO.matcher(text.get()).find()) {
            // Never echo the URL: it holds a secret, and this message may reach a log.
            node.problem("the URL carries a password, which must not be written in the config file", PASSWORD_FIX
                    + "; remove it from the URL (key-store passwords too: configure them outside this file)");
            return null;
        }
        JdbcUrl parsed;
        try {
            parsed = JdbcUrl.parse(text.get());
        } catch (IllegalArgumentException e) {
            node.problem("'" + text.get() + "' is not a JDBC URL: " + e.getMessage(),
                    "write jdbc:postgresql://host:5432/database or jdbc:mariadb://host:3306/database");
            return null;
        }
        String expected = kind == EndpointKind.MARIADB ? "mariadb" : "postgresql";
        boolean matches = kind == null || parsed.scheme().equals(expected)
                || (kind == EndpointKind.MARIADB && parsed.scheme().equals("mysql"));
        if (!matches) {
            node.problem("a " + kind.configName() + " endpoint needs a jdbc:" + expected + ": URL, not jdbc:" + parsed.scheme() + ":",
                    "correct the URL or the kind");
            return null;
        }
        databases.put(name, parsed.database());
        return text.get();
    }

    private Secret password(ConfigNode node) {
        if (node.child("password").present()) {
            // Never echo the value: the message may reach a log.
            node.child("password").keyProblem("a password must not be written in the config file",
                    PASSWORD_FIX);
        }
        return secrets.read(node, "password",
                "set {} before starting dualsync, or remove passwordEnv if the user needs no password");
    }

    private static String slotName(ConfigNode node, String endpoint) {
        Optional<String> slot = node.text();
        if (slot.isPresent() && !SLOT.matcher(slot.get()).matches()) {
            node.problem("'" + slot.get() + "' is not a valid replication slot name",
                    "use at most 63 lower-case letters, digits and '_'");
        }
        return slot.orElse(defaultSlot(endpoint));
    }

    static String defaultSlot(String endpoint) {
        return "dualsync_" + endpoint.toLowerCase(Locale.ROOT).replace('-', '_');
    }

    private static Optional<Long> serverId(ConfigNode node) {
        Optional<String> text = node.text();
        if (text.isEmpty()) {
            return Optional.empty();
        }
        try {
            long id = Long.parseLong(text.get().strip());
            if (id >= 1 && id <= 4294967295L) {
                return Optional.of(id);
            }
        } catch (NumberFormatException notANumber) {
            // reported below
        }
        node.problem("'" + text.get() + "' is not a server id", "use a whole number from 1 to 4294967295 that no other replica uses");
        return Optional.empty();
    }

    private static String timezone(ConfigNode node) {
        Optional<String> text = node.text();
        if (text.isEmpty()) {
            return "UTC";
        }
        try {
            ZoneId.of(text.get());
        } catch (DateTimeException e) {
            node.problem("'" + text.get() + "' is not a time zone", "use a region such as Europe/Berlin, or UTC");
        }
        return text.get();
    }
}
