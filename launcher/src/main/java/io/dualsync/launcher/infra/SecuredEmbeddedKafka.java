package io.dualsync.launcher.infra;

import org.apache.kafka.clients.admin.ScramMechanism;
import org.apache.kafka.common.metadata.UserScramCredentialRecord;
import org.apache.kafka.common.security.auth.SecurityProtocol;
import org.apache.kafka.common.security.scram.ScramCredential;
import org.apache.kafka.common.security.scram.internals.ScramFormatter;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;
import org.apache.kafka.metadata.bootstrap.BootstrapMetadata;
import org.apache.kafka.server.common.ApiMessageAndVersion;
import org.apache.kafka.server.common.MetadataVersion;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A single-node Kafka 4.1.1 broker (KRaft, combined mode) in this JVM that accepts TLS only: its
 * client listener is either {@code SASL_SSL} with SCRAM-SHA-512 users created at start-up
 * ({@link #startWithScram}) or {@code SSL} requiring a client certificate ({@link #startWithMutualTls});
 * its controller listener is TLS as well, so the broker has no plaintext port at all. For testing
 * {@code kafka.security}; the broker settings otherwise match {@link EmbeddedKafka}.
 *
 * <p>The SCRAM users are part of the cluster's bootstrap metadata, as {@code kafka-storage format
 * --add-scram} writes them: the broker authenticates to itself (transaction markers go over the
 * inter-broker listener) with the first user before any client could create one.
 */
public final class SecuredEmbeddedKafka implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(SecuredEmbeddedKafka.class);
    /** The test kit's names for the client and controller listeners. */
    static final String LISTENER = "EXTERNAL";
    static final String CONTROLLER_LISTENER = "CONTROLLER";
    private static final int SCRAM_ITERATIONS = 4096;

    /**
     * The broker's TLS material.
     *
     * @param keystore           PKCS12 store with the broker's key and certificate (naming {@code localhost})
     * @param keystorePassword   its password (also the key's)
     * @param truststore         PKCS12 store with the CA certificates the broker trusts (for client certificates and itself)
     * @param truststorePassword its password
     */
    public record BrokerTls(Path keystore, String keystorePassword, Path truststore, String truststorePassword) {
        @Override
        public String toString() {
            return "BrokerTls[" + keystore + ", " + truststore + "]";
        }
    }

    private final KafkaClusterTestKit cluster;
    private final Path dataDir;
    private final SecurityProtocol protocol;
    private final AtomicBoolean closed = new AtomicBoolean();

    private SecuredEmbeddedKafka(KafkaClusterTestKit cluster, Path dataDir, SecurityProtocol protocol) {
        this.cluster = cluster;
        this.dataDir = dataDir;
        this.protocol = protocol;
    }

    /**
     * A broker whose client listener is SASL_SSL with SCRAM-SHA-512 and server-verified TLS.
     *
     * @param users user name to password; the first entry is also the broker's own inter-broker user
     */
    public static SecuredEmbeddedKafka startWithScram(BrokerTls tls, Map<String, String> users) {
        if (users.isEmpty()) {
            throw new IllegalArgumentException("at least one SCRAM user is needed: the broker logs in to itself with the first");
        }
        Map.Entry<String, String> brokerUser = users.entrySet().iterator().next();
        Map<String, String> config = new LinkedHashMap<>();
        config.put("sasl.enabled.mechanisms", "SCRAM-SHA-512");
        config.put("sasl.mechanism.inter.broker.protocol", "SCRAM-SHA-512");
        config.put("listener.name." + LISTENER.toLowerCase(java.util.Locale.ROOT) + ".scram-sha-512.sasl.jaas.config",
                "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"" + brokerUser.getKey()
                        + "\" password=\"" + brokerUser.getValue() + "\";");
        return start(SecurityProtocol.SASL_SSL, tls, config, scramRecords(users));
    }

    /** A broker whose client listener is SSL and requires a client certificate signed by a CA in the trust store. */
    public static SecuredEmbeddedKafka startWithMutualTls(BrokerTls tls) {
        return start(SecurityProtocol.SSL, tls, Map.of("ssl.client.auth", "required"), List.of());
    }

    private static SecuredEmbeddedKafka start(SecurityProtocol protocol, BrokerTls tls, Map<String, String> extra,
                                              List<ApiMessageAndVersion> bootstrapRecords) {
        long started = System.nanoTime();
        Path dataDir;
        try {
            dataDir = Files.createTempDirectory("dualsync-kafka-secured-");
        } catch (IOException e) {
            throw new UncheckedIOException("could not create a data directory for the embedded Kafka broker", e);
        }
        KafkaClusterTestKit cluster = null;
        try {
            TestKitNodes nodes = nodes(dataDir, null);
            if (!bootstrapRecords.isEmpty()) {
                List<ApiMessageAndVersion> records = new ArrayList<>(nodes.bootstrapMetadata().records());
                records.addAll(bootstrapRecords);
                nodes = nodes(dataDir, BootstrapMetadata.fromRecords(records, "dualsync secured test broker"));
            }
            KafkaClusterTestKit.Builder builder = new KafkaClusterTestKit.Builder(nodes);
            EmbeddedKafka.BROKER_CONFIG.forEach(builder::setConfigProp);
            builder.setConfigProp("ssl.keystore.type", "PKCS12");
            builder.setConfigProp("ssl.keystore.location", tls.keystore().toString());
            builder.setConfigProp("ssl.keystore.password", tls.keystorePassword());
            builder.setConfigProp("ssl.key.password", tls.keystorePassword());
            builder.setConfigProp("ssl.truststore.type", "PKCS12");
            builder.setConfigProp("ssl.truststore.location", tls.truststore().toString());
            builder.setConfigProp("ssl.truststore.password", tls.truststorePassword());
            // The test kit of Kafka 4.1 builds nodes with plaintext listeners only; their security
            // protocols come from this map, which it leaves alone when set
            builder.setConfigProp("listener.security.protocol.map", LISTENER + ":" + protocol.name + ","
                    + CONTROLLER_LISTENER + ":" + SecurityProtocol.SSL.name);
            extra.forEach(builder::setConfigProp);
            cluster = builder.build();
            cluster.format();
            cluster.startup();
            cluster.waitForReadyBrokers();
        } catch (Exception e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            closeQuietly(cluster);
            Directories.deleteQuietly(dataDir);
            throw new IllegalStateException("could not start the secured embedded Kafka broker: " + e.getMessage(), e);
        }
        SecuredEmbeddedKafka kafka = new SecuredEmbeddedKafka(cluster, dataDir, protocol);
        log.info("Kafka broker ({}) ready at {} in {}", protocol, kafka.bootstrapServers(), Durations.since(started));
        return kafka;
    }

    private static TestKitNodes nodes(Path dataDir, BootstrapMetadata bootstrap) {
        TestKitNodes.Builder builder = bootstrap == null ? new TestKitNodes.Builder() : new TestKitNodes.Builder(bootstrap);
        if (bootstrap == null) {
            builder.setBootstrapMetadataVersion(MetadataVersion.latestProduction());
        }
        return builder.setBaseDirectory(dataDir)
                .setCombined(true)
                .setNumBrokerNodes(1)
                .setNumControllerNodes(1)
                .build();
    }

    /** SCRAM-SHA-512 credentials as the metadata records {@code kafka-storage format --add-scram} writes. */
    private static List<ApiMessageAndVersion> scramRecords(Map<String, String> users) {
        ScramFormatter formatter;
        try {
            formatter = new ScramFormatter(org.apache.kafka.common.security.scram.internals.ScramMechanism.SCRAM_SHA_512);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("this JVM has no SHA-512", e);
        }
        List<ApiMessageAndVersion> records = new ArrayList<>();
        users.forEach((user, password) -> {
            ScramCredential credential = formatter.generateCredential(password, SCRAM_ITERATIONS);
            records.add(new ApiMessageAndVersion(new UserScramCredentialRecord()
                    .setName(user)
                    .setMechanism(ScramMechanism.SCRAM_SHA_512.type())
                    .setSalt(credential.salt())
                    .setStoredKey(credential.storedKey())
                    .setServerKey(credential.serverKey())
                    .setIterations(credential.iterations()), (short) 0));
        });
        return records;
    }

    /** The {@code host:port} of the secured client listener. */
    public String bootstrapServers() {
        return cluster.bootstrapServers();
    }

    /** The security protocol of the client listener: {@code SASL_SSL} or {@code SSL}. */
    public SecurityProtocol protocol() {
        return protocol;
    }

    /**
     * Every listener the node opens ({@code listeners}: the broker's and the controller's), by
     * name, with its security protocol from {@code listener.security.protocol.map}.
     */
    public Map<String, SecurityProtocol> listeners() {
        Map<String, SecurityProtocol> result = new LinkedHashMap<>();
        cluster.brokers().values().forEach(b -> {
            Map<String, String> config = b.config().originalsStrings();
            Map<String, String> protocols = new LinkedHashMap<>();
            for (String entry : config.get("listener.security.protocol.map").split(",")) {
                String[] parts = entry.trim().split(":");
                protocols.put(parts[0], parts[1]);
            }
            for (String listener : config.get("listeners").split(",")) {
                String name = listener.trim().substring(0, listener.trim().indexOf("://"));
                result.put(name, SecurityProtocol.forName(protocols.getOrDefault(name, name)));
            }
        });
        return result;
    }

    /** Stops the broker and deletes its data; later calls do nothing. */
    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            closeQuietly(cluster);
            Directories.deleteQuietly(dataDir);
            log.info("Kafka broker ({}) stopped", protocol);
        }
    }

    private static void closeQuietly(KafkaClusterTestKit cluster) {
        if (cluster == null) {
            return;
        }
        try {
            cluster.close();
        } catch (Exception e) {
            log.warn("Kafka broker did not stop cleanly: {}", e.toString());
        }
    }
}
