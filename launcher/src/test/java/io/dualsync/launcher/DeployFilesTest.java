package io.dualsync.launcher;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.dualsync.config.ConfigException;
import io.dualsync.config.ConfigLoader;
import io.dualsync.config.SyncConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * The files in {@code deploy/} cannot be run here (no Docker engine, no Kubernetes), so they are
 * checked by reading them: every YAML file parses; every Kubernetes object has the fields the API
 * server requires, every container an image, probes on the health endpoints and resources no
 * smaller than the benchmarked peak memory; capture runs as one replica replaced with Recreate;
 * mounts, config maps, secrets and files referenced exist; and every dualsync configuration in
 * them (deploy/config/*.yaml and the ConfigMap's embedded file) loads through the real
 * {@link ConfigLoader}, so a key the config model does not know fails this test.
 */
class DeployFilesTest {

    private static final Path DEPLOY = Path.of(System.getProperty("basedir", ".")).toAbsolutePath()
            .resolve("../deploy").normalize();
    private static final Path K8S = DEPLOY.resolve("k8s");
    private static final ObjectMapper YAML = new YAMLMapper();
    private static final Pattern DNS_LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?");
    private static final List<String> SERVICES = List.of("capture", "transform", "apply");

    @TempDir
    Path tmp;

    // --- every file ---

    @Test
    void shouldParseEveryYamlFile() throws IOException {
        List<Path> files = yamlFiles(DEPLOY);
        assertThat(files).extracting(p -> DEPLOY.relativize(p).toString().replace('\\', '/'))
                .contains("compose.yaml", "config/example.yaml", "config/local-stack.yaml",
                        "k8s/kustomization.yaml", "k8s/configmap.yaml", "k8s/secret.example.yaml",
                        "k8s/capture.yaml", "k8s/transform.yaml", "k8s/apply.yaml");
        for (Path file : files) {
            assertThat(documents(file)).as("%s holds YAML documents", file).isNotEmpty();
        }
    }

    // --- the dualsync configurations ---

    @Test
    void shouldLoadEveryDualsyncConfigInDeployThroughTheRealConfigLoader() throws IOException {
        Map<String, String> configs = dualsyncConfigs();
        assertThat(configs).hasSizeGreaterThanOrEqualTo(3);
        configs.forEach((where, text) -> {
            try {
                assertThat(load(where, text).maps()).as(where).isNotEmpty();
            } catch (ConfigException e) {
                // name the deploy file: the loader only saw this test's copy of it
                throw new AssertionError(where + " (lines count from the config's first line) does not load:\n"
                        + e.getMessage(), e);
            }
        });
    }

    @Test
    void shouldFailWhenADeployConfigHasAKeyTheConfigModelDoesNotKnow() throws IOException {
        String embedded = configMapConfig();
        // the check above is only worth something if a misspelt key makes it fail
        ConfigException e = catchThrowableOfType(ConfigException.class,
                () -> load("misspelt", embedded.replaceFirst("replicationFactor:", "replicationFaktor:")));
        assertThat(e).isNotNull();
        assertThat(e.getMessage()).contains("unknown key 'replicationFaktor'");
    }

    // --- Kubernetes ---

    @Test
    void shouldGiveEveryKubernetesObjectAnApiVersionKindAndName() throws IOException {
        for (Map.Entry<Path, JsonNode> object : kubernetesObjects().entrySet()) {
            JsonNode o = object.getValue();
            assertThat(o.path("apiVersion").asText()).as("%s apiVersion", object.getKey()).isNotBlank();
            assertThat(o.path("kind").asText()).as("%s kind", object.getKey()).isNotBlank();
            assertThat(o.path("metadata").path("name").asText()).as("%s metadata.name", object.getKey())
                    .matches(DNS_LABEL).hasSizeLessThanOrEqualTo(63);
        }
    }

    @Test
    void shouldListOnlyExistingFilesInTheKustomization() throws IOException {
        JsonNode kustomization = documents(K8S.resolve("kustomization.yaml")).get(0);
        List<String> resources = texts(kustomization.path("resources"));
        assertThat(resources).contains("configmap.yaml", "capture.yaml", "transform.yaml", "apply.yaml")
                .doesNotContain("secret.example.yaml");
        assertThat(resources).allSatisfy(r -> assertThat(K8S.resolve(r)).exists());
    }

    @Test
    void shouldRunCaptureAsOneReplicaReplacedWithRecreate() throws IOException {
        JsonNode capture = deployment("capture");
        assertThat(capture.path("spec").path("replicas").asInt()).isEqualTo(1);
        assertThat(capture.path("spec").path("strategy").path("type").asText()).isEqualTo("Recreate");
        for (String scaled : List.of("transform", "apply")) {
            assertThat(deployment(scaled).path("spec").path("strategy").path("type").asText()).as(scaled).isNotEqualTo("Recreate");
        }
    }

    @Test
    void shouldGiveEveryContainerAnImageHealthProbesAndResourcesNoSmallerThanTheBenchmarkedPeak() throws IOException {
        Map<String, Integer> peakMib = benchmarkedPeakRssMib();
        assertThat(peakMib).containsOnlyKeys(SERVICES);
        for (String service : SERVICES) {
            JsonNode deployment = deployment(service);
            JsonNode pod = deployment.path("spec").path("template");
            assertThat(pod.path("metadata").path("labels").properties())
                    .as("%s: the selector matches the pod labels", service)
                    .containsAll(deployment.path("spec").path("selector").path("matchLabels").properties());
            JsonNode container = single(pod.path("spec").path("containers"), service + " containers");
            assertThat(container.path("image").asText()).as(service).isNotBlank();
            assertThat(texts(container.path("args"))).as(service).startsWith(service);
            assertThat(probePath(container, "livenessProbe")).as(service).isEqualTo("/health/live");
            assertThat(probePath(container, "readinessProbe")).as(service).isEqualTo("/health/ready");
            for (String probe : List.of("livenessProbe", "readinessProbe", "startupProbe")) {
                JsonNode port = container.path(probe).path("httpGet").path("port");
                if (!port.isMissingNode()) {
                    assertThat(containerPortNamesAndNumbers(container)).as("%s %s port", service, probe).contains(port.asText());
                }
            }
            JsonNode resources = container.path("resources");
            assertThat(resources.path("requests").path("cpu").asText()).as(service).isNotBlank();
            assertThat(mebibytes(resources.path("requests").path("memory").asText())).as("%s memory request", service)
                    .isGreaterThanOrEqualTo(peakMib.get(service));
            assertThat(mebibytes(resources.path("limits").path("memory").asText())).as("%s memory limit", service)
                    .isGreaterThanOrEqualTo(mebibytes(resources.path("requests").path("memory").asText()))
                    .isGreaterThan(peakMib.get(service));
        }
    }

    @Test
    void shouldMountTheConfigAndEveryPasswordFileTheConfigNamesIntoEveryDeployment() throws IOException {
        JsonNode configMap = kubernetesObject("ConfigMap", "dualsync-config");
        JsonNode secret = documents(K8S.resolve("secret.example.yaml")).get(0);
        Set<String> secretKeys = new TreeSet<>();
        secret.path("stringData").fieldNames().forEachRemaining(secretKeys::add);
        secret.path("data").fieldNames().forEachRemaining(secretKeys::add);
        List<String> passwordFiles = passwordFiles(YAML.readTree(configMapConfig()));
        assertThat(passwordFiles).isNotEmpty();

        for (String service : SERVICES) {
            JsonNode podSpec = deployment(service).path("spec").path("template").path("spec");
            JsonNode container = single(podSpec.path("containers"), service + " containers");
            Map<String, JsonNode> volumes = new HashMap<>();
            podSpec.path("volumes").forEach(v -> volumes.put(v.path("name").asText(), v));
            Map<String, JsonNode> mounts = new HashMap<>();
            container.path("volumeMounts").forEach(m -> mounts.put(m.path("mountPath").asText(), m));
            assertThat(mounts.values()).extracting(m -> m.path("name").asText()).as(service).allMatch(volumes::containsKey);

            // --config <file>: a key of the ConfigMap, mounted where the argument points
            List<String> args = texts(container.path("args"));
            Path configPath = Path.of(args.get(args.indexOf("--config") + 1));
            JsonNode configVolume = volumes.get(mounts.get(configPath.getParent().toString()).path("name").asText());
            assertThat(configVolume.path("configMap").path("name").asText()).as(service)
                    .isEqualTo(configMap.path("metadata").path("name").asText());
            assertThat(configMap.path("data").has(configPath.getFileName().toString())).as(service).isTrue();

            // every passwordFile: a key of the Secret, mounted where the config looks for it
            for (String passwordFile : passwordFiles) {
                Path p = Path.of(passwordFile);
                JsonNode mount = mounts.get(p.getParent().toString());
                assertThat(mount).as("%s mounts %s", service, p.getParent()).isNotNull();
                JsonNode volume = volumes.get(mount.path("name").asText());
                assertThat(volume.path("secret").path("secretName").asText()).as(service)
                        .isEqualTo(secret.path("metadata").path("name").asText());
                assertThat(secretKeys).as("keys of the Secret").contains(p.getFileName().toString());
            }
            // the transform's state stores and every temp file need a writable /tmp
            assertThat(mounts).as(service).containsKey("/tmp");
        }
    }

    @Test
    void shouldKeepTheRegistrysSchemasInPostgresqlAndNotInMemoryInTheManifests() throws IOException {
        JsonNode registry = kubernetesObject("Deployment", "apicurio-registry");
        JsonNode container = single(registry.path("spec").path("template").path("spec").path("containers"), "registry containers");
        Map<String, JsonNode> env = new HashMap<>();
        container.path("env").forEach(e -> env.put(e.path("name").asText(), e));
        // without APICURIO_STORAGE_KIND the registry keeps its schemas in memory and loses them on every restart
        assertThat(env.get("APICURIO_STORAGE_KIND").path("value").asText()).isEqualTo("sql");
        assertThat(env.get("APICURIO_STORAGE_SQL_KIND").path("value").asText()).isEqualTo("postgresql");
        JsonNode registrySecret = documents(K8S.resolve("secret.example.yaml")).stream()
                .filter(d -> d.path("metadata").path("name").asText().equals("dualsync-registry-db")).findFirst().orElseThrow();
        for (String name : List.of("APICURIO_DATASOURCE_URL", "APICURIO_DATASOURCE_USERNAME", "APICURIO_DATASOURCE_PASSWORD")) {
            JsonNode ref = env.get(name).path("valueFrom").path("secretKeyRef");
            assertThat(ref.path("name").asText()).as(name).isEqualTo("dualsync-registry-db");
            assertThat(registrySecret.path("stringData").has(ref.path("key").asText())).as(name).isTrue();
        }
        assertThat(texts(documents(K8S.resolve("kustomization.yaml")).get(0).path("resources"))).contains("registry.yaml");
        // the dualsync config reaches it through its Service
        JsonNode service = kubernetesObject("Service", "apicurio-registry");
        String url = YAML.readTree(configMapConfig()).path("registry").path("url").asText();
        assertThat(url).isEqualTo("http://" + service.path("metadata").path("name").asText() + ":"
                + service.path("spec").path("ports").get(0).path("port").asInt());
    }

    @Test
    void shouldKeepTheRegistrysSchemasInADatabaseOnAVolumeInTheComposeFile() throws IOException {
        JsonNode compose = documents(DEPLOY.resolve("compose.yaml")).get(0);
        JsonNode registry = compose.path("services").path("registry");
        JsonNode env = registry.path("environment");
        assertThat(env.path("APICURIO_STORAGE_KIND").asText()).isEqualTo("sql");
        assertThat(env.path("APICURIO_STORAGE_SQL_KIND").asText()).isEqualTo("postgresql");
        String host = URI.create(env.path("APICURIO_DATASOURCE_URL").asText().substring("jdbc:".length())).getHost();
        JsonNode database = compose.path("services").path(host);
        assertThat(database.isMissingNode()).as("the registry's database %s is a service of the stack", host).isFalse();
        assertThat(database.has("profiles")).as("%s starts whenever the registry does", host).isFalse();
        assertThat(registry.path("depends_on").has(host)).isTrue();
        assertThat(texts(database.path("volumes"))).as("%s keeps its data on a named volume", host)
                .anySatisfy(v -> assertThat(compose.path("volumes").has(v.split(":")[0])).isTrue());
    }

    // --- compose ---

    @Test
    void shouldReferenceOnlyExistingFilesAndDefinedSecretsAndServicesInTheComposeFile() throws IOException {
        JsonNode compose = documents(DEPLOY.resolve("compose.yaml")).get(0);
        JsonNode services = compose.path("services");
        assertThat(services.has("kafka")).isTrue();
        assertThat(services.has("registry")).isTrue();
        Set<String> secrets = new TreeSet<>();
        compose.path("secrets").fieldNames().forEachRemaining(secrets::add);
        for (Map.Entry<String, JsonNode> entry : services.properties()) {
            String name = entry.getKey();
            JsonNode service = entry.getValue();
            assertThat(service.has("image") || service.has("build")).as("%s has an image or a build", name).isTrue();
            JsonNode build = service.path("build");
            if (!build.isMissingNode()) {
                Path context = DEPLOY.resolve(build.isTextual() ? build.asText() : build.path("context").asText(".")).normalize();
                assertThat(context).as("%s build context", name).isDirectory();
                assertThat(context.resolve(build.path("dockerfile").asText("Dockerfile"))).as("%s dockerfile", name).isRegularFile();
            }
            for (JsonNode volume : service.path("volumes")) {
                String source = volume.isTextual() ? volume.asText().split(":")[0] : volume.path("source").asText();
                if (source.startsWith(".") || source.startsWith("/")) {
                    assertThat(DEPLOY.resolve(source).normalize()).as("%s mounts %s", name, source).exists();
                }
            }
            for (JsonNode secret : service.path("secrets")) {
                assertThat(secrets).as("%s uses secret", name).contains(secret.isTextual() ? secret.asText() : secret.path("source").asText());
            }
            service.path("depends_on").fieldNames().forEachRemaining(d ->
                    assertThat(services.has(d)).as("%s depends on %s", name, d).isTrue());
        }
        for (JsonNode secret : compose.path("secrets")) {
            if (secret.has("file")) {
                assertThat(DEPLOY.resolve(secret.path("file").asText())).exists();
            }
        }
    }

    @Test
    void shouldGiveEveryComposeDualsyncServiceItsConfigAndEverySecretThatConfigNames() throws IOException {
        JsonNode services = documents(DEPLOY.resolve("compose.yaml")).get(0).path("services");
        for (String name : SERVICES) {
            JsonNode service = services.path(name);
            List<String> command = texts(service.path("command"));
            assertThat(command).as(name).startsWith(name);
            String configPath = command.get(command.indexOf("--config") + 1);
            String source = null;
            for (JsonNode volume : service.path("volumes")) {
                String[] parts = volume.asText().split(":");
                if (parts[1].equals(configPath)) {
                    source = parts[0];
                }
            }
            assertThat(source).as("%s mounts %s", name, configPath).isNotNull();
            Path config = DEPLOY.resolve(source).normalize();
            assertThat(config.getParent()).as("a config the load test checks").isEqualTo(DEPLOY.resolve("config"));
            List<String> mounted = texts(service.path("secrets"));
            for (String passwordFile : passwordFiles(YAML.readTree(config.toFile()))) {
                assertThat(passwordFile).startsWith("/run/secrets/");
                assertThat(mounted).as("%s secrets", name).contains(Path.of(passwordFile).getFileName().toString());
            }
        }
    }

    @Test
    void shouldCopyOnlyExistingFilesIntoTheImage() throws IOException {
        Path context = DEPLOY.getParent();
        List<String> lines = Files.readAllLines(DEPLOY.resolve("Dockerfile"));
        List<String> copied = new ArrayList<>();
        for (String line : lines) {
            String[] words = line.strip().split("\\s+");
            if (words[0].equals("COPY") && !words[1].startsWith("--from")) {
                for (int i = 1; i < words.length - 1; i++) {
                    copied.add(words[i]);
                    assertThat(context.resolve(words[i])).as("COPY %s", words[i]).exists();
                }
            }
        }
        assertThat(copied).contains("launcher", "schemas");
        assertThat(String.join("\n", lines)).contains("EXPOSE 9464");
    }

    // --- helpers ---

    /** Loads a config text the way a deployment would, with every password it names present. */
    private SyncConfig load(String where, String text) {
        try {
            JsonNode tree = YAML.readTree(text);
            Map<String, String> env = new HashMap<>();
            for (JsonNode endpoint : tree.path("endpoints")) {
                if (endpoint.has("passwordEnv")) {
                    env.put(endpoint.path("passwordEnv").asText(), "test-password");
                }
            }
            // The files live in secret mounts (/run/secrets, /etc/dualsync/secrets) that do not exist
            // here: point each passwordFile at a file of this test. Only values change, never keys.
            String local = text;
            int n = 0;
            for (String passwordFile : passwordFiles(tree)) {
                Path file = Files.writeString(tmp.resolve("password-" + n++), "test-password\n");
                local = local.replace("passwordFile: " + passwordFile, "passwordFile: " + file);
            }
            Path copy = Files.writeString(tmp.resolve("config-" + Math.abs(where.hashCode()) + ".yaml"), local);
            return ConfigLoader.load(copy, env);
        } catch (IOException e) {
            throw new AssertionError(where + ": " + e, e);
        }
    }

    /** Every dualsync config in deploy/: deploy/config/*.yaml and each *.yaml entry of a ConfigMap. */
    private static Map<String, String> dualsyncConfigs() throws IOException {
        Map<String, String> configs = new LinkedHashMap<>();
        for (Path file : yamlFiles(DEPLOY.resolve("config"))) {
            configs.put(file.toString(), Files.readString(file));
        }
        for (Map.Entry<Path, JsonNode> object : kubernetesObjects().entrySet()) {
            if (object.getValue().path("kind").asText().equals("ConfigMap")) {
                for (Map.Entry<String, JsonNode> data : object.getValue().path("data").properties()) {
                    if (data.getKey().endsWith(".yaml") || data.getKey().endsWith(".yml")) {
                        configs.put(object.getKey() + " data." + data.getKey(), data.getValue().asText());
                    }
                }
            }
        }
        return configs;
    }

    private static String configMapConfig() throws IOException {
        return kubernetesObject("ConfigMap", "dualsync-config").path("data").path("sync.yaml").asText();
    }

    private static List<String> passwordFiles(JsonNode config) {
        List<String> files = new ArrayList<>();
        for (JsonNode endpoint : config.path("endpoints")) {
            if (endpoint.has("passwordFile")) {
                files.add(endpoint.path("passwordFile").asText());
            }
        }
        return files;
    }

    /**
     * The largest peak RSS (VmHWM) per service in BENCHMARKS.md's memory tables, e.g. from
     * {@code | capture | 661 MiB | 663 MiB |}: the resources must follow the measurements.
     */
    private static Map<String, Integer> benchmarkedPeakRssMib() throws IOException {
        String benchmarks = Files.readString(DEPLOY.resolveSibling("BENCHMARKS.md"));
        Matcher row = Pattern.compile("(?m)^\\| (capture|transform|apply) \\|((?: [\\d,]+ MiB \\|)+)").matcher(benchmarks);
        Map<String, Integer> peak = new HashMap<>();
        while (row.find()) {
            Matcher mib = Pattern.compile("([\\d,]+) MiB").matcher(row.group(2));
            while (mib.find()) {
                peak.merge(row.group(1), Integer.parseInt(mib.group(1).replace(",", "")), Math::max);
            }
        }
        return peak;
    }

    /** {@code 768Mi}, {@code 1Gi}, {@code 1G}... in MiB (rounded down). */
    private static long mebibytes(String quantity) {
        Matcher m = Pattern.compile("(\\d+)(Ki|Mi|Gi|K|M|G)?").matcher(quantity);
        assertThat(m.matches()).as("memory quantity '%s'", quantity).isTrue();
        long n = Long.parseLong(m.group(1));
        String unit = m.group(2) == null ? "" : m.group(2);
        return switch (unit) {
            case "Ki" -> n / 1024;
            case "Mi" -> n;
            case "Gi" -> n * 1024;
            case "K" -> n * 1000 / (1024 * 1024);
            case "M" -> n * 1000 * 1000 / (1024 * 1024);
            case "G" -> n * 1000 * 1000 * 1000 / (1024 * 1024);
            default -> n / (1024 * 1024);
        };
    }

    private static String probePath(JsonNode container, String probe) {
        return container.path(probe).path("httpGet").path("path").asText(null);
    }

    private static Set<String> containerPortNamesAndNumbers(JsonNode container) {
        Set<String> ports = new TreeSet<>();
        for (JsonNode port : container.path("ports")) {
            ports.add(port.path("containerPort").asText());
            if (port.has("name")) {
                ports.add(port.path("name").asText());
            }
        }
        return ports;
    }

    private static JsonNode deployment(String service) throws IOException {
        return kubernetesObject("Deployment", "dualsync-" + service);
    }

    private static JsonNode kubernetesObject(String kind, String name) throws IOException {
        return kubernetesObjects().values().stream()
                .filter(o -> o.path("kind").asText().equals(kind) && o.path("metadata").path("name").asText().equals(name))
                .findFirst().orElseThrow(() -> new AssertionError("no " + kind + " " + name + " in " + K8S));
    }

    /** Every object in deploy/k8s except the kustomization, by file (and index for several per file). */
    private static Map<Path, JsonNode> kubernetesObjects() throws IOException {
        Map<Path, JsonNode> objects = new LinkedHashMap<>();
        for (Path file : yamlFiles(K8S)) {
            if (file.getFileName().toString().equals("kustomization.yaml")) {
                continue;
            }
            List<JsonNode> docs = documents(file);
            for (int i = 0; i < docs.size(); i++) {
                objects.put(docs.size() == 1 ? file : Path.of(file + "#" + i), docs.get(i));
            }
        }
        return objects;
    }

    private static JsonNode single(JsonNode list, String what) {
        assertThat(list.size()).as(what).isEqualTo(1);
        return list.get(0);
    }

    private static List<String> texts(JsonNode list) {
        List<String> texts = new ArrayList<>();
        list.forEach(n -> texts.add(n.asText()));
        return texts;
    }

    private static List<JsonNode> documents(Path file) throws IOException {
        List<JsonNode> docs = new ArrayList<>();
        try (MappingIterator<JsonNode> it = YAML.readerFor(JsonNode.class).readValues(file.toFile())) {
            while (it.hasNext()) {
                JsonNode doc = it.next();
                if (doc != null && !doc.isNull() && !doc.isMissingNode()) {
                    docs.add(doc);
                }
            }
        }
        return docs;
    }

    private static List<Path> yamlFiles(Path dir) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(p -> p.toString().endsWith(".yaml") || p.toString().endsWith(".yml")).sorted().toList();
        }
    }
}
