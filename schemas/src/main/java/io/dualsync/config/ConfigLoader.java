package io.dualsync.config;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Reads a sync configuration YAML file (design.md, "Configuration, by example") into a validated
 * {@link SyncConfig}, or throws a {@link ConfigException} listing every problem in the file, each
 * with its line, column and key.
 *
 * <p>Top-level keys: {@code kafka} ({@code bootstrap}, {@code partitions} = 1,
 * {@code replicationFactor} = 1, {@code properties} = {}; secret-holding properties only as Kafka config
 * provider references such as {@code ${file:/path:key}}; {@code security}: TLS and SASL, see
 * {@link KafkaSecurity}), {@code registry} ({@code url}),
 * {@code endpoints} (kind, url, user, passwordEnv or passwordFile, slot, publication, serverId,
 * timezone = UTC) and {@code maps} (name, a, b, direction = a-to-b, key, fields, filter, companies,
 * conflicts = fail, deletes = delete), and optionally {@code observability} ({@code port} = 9464,
 * {@code syncLogRetention} = 7d).
 * Only the file's own content is checked here; whether tables and columns exist is checked
 * against the live databases by {@code io.dualsync.catalog.CatalogValidator}.
 */
public final class ConfigLoader {

    private static final List<String> TOP_KEYS = List.of("kafka", "registry", "endpoints", "maps", "observability");
    private static final List<String> OBSERVABILITY_KEYS = List.of("port", "syncLogRetention");
    private static final List<String> KAFKA_KEYS = List.of("bootstrap", "partitions", "replicationFactor", "properties", "security",
            "applicationId");
    /** Kafka allows these in group ids and topic names (a Streams application id names its internal topics). */
    private static final java.util.regex.Pattern APPLICATION_ID = java.util.regex.Pattern.compile("[A-Za-z0-9._-]{1,100}");
    private static final List<String> REGISTRY_KEYS = List.of("url");

    private ConfigLoader() {
    }

    /** Loads {@code file}, resolving {@code passwordEnv} from this process's environment. */
    public static SyncConfig load(Path file) {
        return load(file, System.getenv());
    }

    /** Loads {@code file}, resolving {@code passwordEnv} from {@code env}. */
    public static SyncConfig load(Path file, Map<String, String> env) {
        String text;
        try {
            text = Files.readString(file);
        } catch (IOException e) {
            throw new ConfigException(file, List.of(new ConfigProblem(file, 1, 1, "",
                    "cannot read the file (" + e.getClass().getSimpleName() + ")", "check the path and its permissions")));
        }
        YamlDocument document;
        try {
            document = YamlDocument.parse(text);
        } catch (YamlDocument.SyntaxError e) {
            throw new ConfigException(file, List.of(new ConfigProblem(file, e.position.line(), e.position.column(), "",
                    "invalid YAML: " + e.getMessage(), "check the indentation, colons and quotes on this line and the one before")));
        }
        ConfigNode.Problems problems = new ConfigNode.Problems(file, document);
        SyncConfig config = read(file, new ConfigNode(problems, document.root, "", ""), env);
        if (!problems.list.isEmpty()) {
            List<ConfigProblem> sorted = problems.list.stream()
                    .sorted(Comparator.comparingInt(ConfigProblem::line).thenComparingInt(ConfigProblem::column))
                    .toList();
            throw new ConfigException(file, sorted);
        }
        return config;
    }

    private static SyncConfig read(Path file, ConfigNode root, Map<String, String> env) {
        if (!root.present()) {
            root.problem("the file is empty", "start from deploy/config/example.yaml");
            return null;
        }
        if (!root.expectMapping("keys kafka, registry, endpoints and maps")) {
            return null;
        }
        reportDuplicateKeys(root.problems);
        root.allowOnly(TOP_KEYS);
        KafkaSettings kafka = kafka(root.required("kafka", "add kafka: { bootstrap: localhost:9092 }"), file, env);
        RegistrySettings registry = registry(root.required("registry", "add registry: { url: http://localhost:8080 }"));
        ConfigNode endpointsNode = root.required("endpoints",
                "add endpoints: { crm: { kind: postgres, url: jdbc:postgresql://localhost:5432/crm, user: sync, passwordEnv: CRM_PASSWORD } }");
        EndpointsReader endpoints = new EndpointsReader(file, env);
        Map<String, Endpoint> byName = endpointsNode.present() ? endpoints.read(endpointsNode) : new LinkedHashMap<>();
        ConfigNode mapsNode = root.required("maps", "add maps: with at least one table map");
        List<TableMap> maps = mapsNode.present() ? new MapsReader(endpoints).read(mapsNode) : List.of();
        ObservabilitySettings observability = observability(root.child("observability"));
        if (!root.problems.list.isEmpty()) {
            return null;
        }
        return new SyncConfig(file, kafka, registry, byName, maps, observability);
    }

    private static void reportDuplicateKeys(ConfigNode.Problems problems) {
        problems.document.duplicateKeys.forEach((pointer, at) -> problems.add(at, dotted(pointer),
                "this key is written twice in one mapping", "keep one of them"));
    }

    /** {@code /maps/0/fields} as {@code maps[0].fields}. */
    private static String dotted(String pointer) {
        StringBuilder key = new StringBuilder();
        for (String segment : pointer.substring(1).split("/")) {
            segment = segment.replace("~1", "/").replace("~0", "~");
            if (segment.matches("\\d+")) {
                key.append('[').append(segment).append(']');
            } else {
                key.append(key.isEmpty() ? "" : ".").append(segment);
            }
        }
        return key.toString();
    }

    private static KafkaSettings kafka(ConfigNode node, Path file, Map<String, String> env) {
        if (!node.present() || !node.expectMapping("kafka: { bootstrap: localhost:9092 }")) {
            return null;
        }
        node.allowOnly(KAFKA_KEYS);
        String bootstrap = node.requiredText("bootstrap", "add bootstrap: host:9092[,host:9092]");
        int partitions = positiveNumber(node.child("partitions"), 1, Short.MAX_VALUE * 2);
        int replication = positiveNumber(node.child("replicationFactor"), 1, Short.MAX_VALUE);
        ConfigNode applicationIdNode = node.child("applicationId");
        String applicationId = applicationIdNode.text().orElse(KafkaSettings.DEFAULT_APPLICATION_ID);
        if (!APPLICATION_ID.matcher(applicationId).matches()) {
            applicationIdNode.problem("'" + applicationId + "' cannot name Kafka consumer groups and topics",
                    "use 1 to 100 of the characters A-Z a-z 0-9 . _ -, e.g. applicationId: dualsync-crm-erp");
            applicationId = KafkaSettings.DEFAULT_APPLICATION_ID;
        }
        Map<String, String> properties = new LinkedHashMap<>();
        ConfigNode securityNode = node.child("security");
        KafkaSecurity security = new KafkaSecurityReader(file, env).read(securityNode);
        ConfigNode props = node.child("properties");
        if (props.present() && props.expectMapping("properties: { security.protocol: SSL }")) {
            for (Map.Entry<String, ConfigNode> e : props.entries()) {
                Optional<String> value = e.getValue().text();
                if (securityNode.present() && KafkaSecurityReader.OWNED_PROPERTIES.contains(e.getKey())) {
                    e.getValue().keyProblem("kafka.security sets " + e.getKey() + ", so it must not be set here as well",
                            "remove it from kafka.properties");
                    continue;
                }
                if (value.isPresent() && isSecretKey(e.getKey()) && !value.get().contains("${")) {
                    // Never echo the value: the message may reach a log.
                    e.getValue().keyProblem("a secret must not be written in the config file",
                            "let the Kafka client read it from a file or an environment variable: add config.providers: file"
                                    + " and config.providers.file.class: org.apache.kafka.common.config.provider.FileConfigProvider,"
                                    + " then write \"${file:/path/to/secrets.properties:" + e.getKey() + "}\""
                                    + " (or EnvVarConfigProvider and \"${env:NAME}\")");
                    continue;
                }
                value.ifPresent(v -> properties.put(e.getKey(), v));
            }
        }
        return bootstrap == null || security == null ? null
                : new KafkaSettings(bootstrap, properties, partitions, (short) replication, security, applicationId);
    }

    /**
     * Kafka client settings that hold a secret: passwords (ssl.key.password, ssl.keystore.password,
     * ...), secrets (sasl.oauthbearer...client.secret), JAAS configs (which carry the SASL password)
     * and inline private keys. Their value must be a config provider reference ({@code ${file:...}}).
     */
    static boolean isSecretKey(String key) {
        String k = key.toLowerCase(java.util.Locale.ROOT);
        return k.contains("password") || k.contains("secret") || k.endsWith("jaas.config") || k.equals("ssl.keystore.key");
    }

    /** A whole number from 1 to {@code max}; {@code fallback} when absent. */
    static int positiveNumber(ConfigNode node, int fallback, int max) {
        Optional<String> text = node.text();
        if (text.isEmpty()) {
            return fallback;
        }
        try {
            int n = Integer.parseInt(text.get().strip());
            if (n >= 1 && n <= max) {
                return n;
            }
        } catch (NumberFormatException notANumber) {
            // reported below
        }
        node.problem("'" + text.get() + "' is not a whole number from 1 to " + max, "write a number such as " + fallback);
        return fallback;
    }

    private static ObservabilitySettings observability(ConfigNode node) {
        if (!node.present() || !node.expectMapping("observability: { port: 9464, syncLogRetention: 7d }")) {
            return ObservabilitySettings.DEFAULTS;
        }
        node.allowOnly(OBSERVABILITY_KEYS);
        ConfigNode portNode = node.child("port");
        int port = ObservabilitySettings.DEFAULT_PORT;
        if (portNode.text().filter("0"::equals).isPresent()) {
            port = 0;
        } else if (portNode.present()) {
            port = positiveNumber(portNode, ObservabilitySettings.DEFAULT_PORT, 65535);
        }
        java.time.Duration retention = Durations.read(node.child("syncLogRetention"),
                ObservabilitySettings.DEFAULTS.syncLogRetention(), "write a whole number of days, hours or minutes: 7d, 12h, 90m");
        return new ObservabilitySettings(port, retention);
    }

    private static RegistrySettings registry(ConfigNode node) {
        if (!node.present() || !node.expectMapping("registry: { url: http://localhost:8080 }")) {
            return null;
        }
        node.allowOnly(REGISTRY_KEYS);
        ConfigNode urlNode = node.required("url", "add url: http://localhost:8080 (the Apicurio Registry base URL)");
        Optional<String> url = urlNode.text();
        if (url.isPresent() && !isHttpUrl(url.get())) {
            urlNode.problem("'" + url.get() + "' is not an http(s) URL", "write the registry's base URL, e.g. http://localhost:8080");
            return null;
        }
        return url.map(RegistrySettings::new).orElse(null);
    }

    private static boolean isHttpUrl(String url) {
        try {
            URI uri = new URI(url);
            return ("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) && uri.getHost() != null;
        } catch (java.net.URISyntaxException e) {
            return false;
        }
    }
}
