package io.dualsync.launcher.infra;

import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;
import org.apache.kafka.server.common.MetadataVersion;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A real single-node Kafka 4.1.1 broker (KRaft, broker and controller combined) running inside
 * this JVM, for {@code dualsync demo}, {@code dualsync infra} and the integration tests. Its
 * internal topics have replication factor and minimum ISR 1, so transactions and Kafka Streams
 * {@code exactly_once_v2} work on the one node. Data lives in a temporary directory that is
 * deleted on {@link #close()}.
 */
public final class EmbeddedKafka implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(EmbeddedKafka.class);

    /**
     * Broker settings that differ from Kafka's defaults. The defaults assume three brokers
     * (replication factor 3 for internal topics) and delay the first rebalance by 3 s.
     */
    static final Map<String, String> BROKER_CONFIG = Map.ofEntries(
            Map.entry("offsets.topic.replication.factor", "1"),
            Map.entry("offsets.topic.num.partitions", "1"),
            Map.entry("transaction.state.log.replication.factor", "1"),
            Map.entry("transaction.state.log.min.isr", "1"),
            Map.entry("transaction.state.log.num.partitions", "1"),
            Map.entry("share.coordinator.state.topic.replication.factor", "1"),
            Map.entry("share.coordinator.state.topic.min.isr", "1"),
            Map.entry("min.insync.replicas", "1"),
            Map.entry("group.initial.rebalance.delay.ms", "0"),
            // behave like a released broker, not like Kafka's own test suite
            Map.entry("unstable.api.versions.enable", "false"),
            Map.entry("unstable.feature.versions.enable", "false"));

    private final KafkaClusterTestKit cluster;
    private final Path dataDir;
    private final AtomicBoolean closed = new AtomicBoolean();

    private EmbeddedKafka(KafkaClusterTestKit cluster, Path dataDir) {
        this.cluster = cluster;
        this.dataDir = dataDir;
    }

    /** Formats a fresh data directory, starts the broker and waits until it accepts clients. */
    public static EmbeddedKafka start() {
        long started = System.nanoTime();
        Path dataDir;
        try {
            dataDir = Files.createTempDirectory("dualsync-kafka-");
        } catch (IOException e) {
            throw new UncheckedIOException("could not create a data directory for the embedded Kafka broker", e);
        }
        TestKitNodes nodes = new TestKitNodes.Builder()
                // our own directory: the test kit's default one comes with a JVM shutdown hook that
                // deletes it while a broker closed by another shutdown hook may still be writing,
                // and a broker that loses its only log directory halts the JVM
                .setBaseDirectory(dataDir)
                .setCombined(true)
                .setNumBrokerNodes(1)
                .setNumControllerNodes(1)
                .setBootstrapMetadataVersion(MetadataVersion.latestProduction())
                .build();
        KafkaClusterTestKit.Builder builder = new KafkaClusterTestKit.Builder(nodes);
        BROKER_CONFIG.forEach(builder::setConfigProp);
        KafkaClusterTestKit cluster = null;
        try {
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
            throw new IllegalStateException("could not start the embedded Kafka broker: " + e.getMessage(), e);
        }
        EmbeddedKafka kafka = new EmbeddedKafka(cluster, dataDir);
        log.info("Kafka broker ready at {} in {}", kafka.bootstrapServers(), Durations.since(started));
        return kafka;
    }

    /** The {@code host:port} clients connect to. */
    public String bootstrapServers() {
        return cluster.bootstrapServers();
    }

    /**
     * Shuts the broker down (cleanly: it closes its logs and client connections) and starts it
     * again on the same port and log directory, waiting until it is ready; the KRaft controller of
     * the combined node keeps running. Takes ~10 s: the controller accepts the restarted broker's
     * registration only once the old session has expired.
     */
    public synchronized void restartBroker() {
        long started = System.nanoTime();
        try {
            for (var broker : cluster.brokers().values()) {
                broker.shutdown();
                broker.awaitShutdown();
                broker.startup();
            }
            cluster.waitForReadyBrokers();
        } catch (Exception e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            throw new IllegalStateException("could not restart the embedded Kafka broker: " + e.getMessage(), e);
        }
        log.info("Kafka broker restarted at {} in {}", bootstrapServers(), Durations.since(started));
    }

    /** Stops the broker and deletes its data; later calls do nothing. */
    @Override
    public void close() {
        // KafkaClusterTestKit.close() must run only once
        if (closed.compareAndSet(false, true)) {
            closeQuietly(cluster);
            Directories.deleteQuietly(dataDir);
            log.info("Kafka broker stopped");
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
