package io.dualsync.capture;

import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * One real Kafka broker (KRaft, broker and controller combined) per test JVM: test classes that
 * use it declare {@code @ExtendWith(TestKafka.class)}. Started on first use and closed when the
 * whole test run ends (from JUnit's root store, before the JVM's shutdown hooks delete its
 * directories). Internal topics use replication factor 1.
 */
final class TestKafka implements BeforeAllCallback {

    private static volatile Broker broker;

    @Override
    public void beforeAll(ExtensionContext context) {
        context.getRoot().getStore(ExtensionContext.Namespace.GLOBAL)
                .getOrComputeIfAbsent(Broker.class, k -> start(), Broker.class);
    }

    static String bootstrapServers() {
        if (broker == null) {
            throw new IllegalStateException("annotate the test class with @ExtendWith(TestKafka.class)");
        }
        return broker.cluster.bootstrapServers();
    }

    private static Broker start() {
        try {
            KafkaClusterTestKit kit = new KafkaClusterTestKit.Builder(new TestKitNodes.Builder()
                    .setCombined(true).setNumBrokerNodes(1).setNumControllerNodes(1).build())
                    .setConfigProp("offsets.topic.replication.factor", "1")
                    .setConfigProp("transaction.state.log.replication.factor", "1")
                    .setConfigProp("transaction.state.log.min.isr", "1")
                    .setConfigProp("group.initial.rebalance.delay.ms", "0")
                    .build();
            kit.format();
            kit.startup();
            kit.waitForReadyBrokers();
            broker = new Broker(kit);
            return broker;
        } catch (Exception e) {
            throw new IllegalStateException("could not start the test broker", e);
        }
    }

    private record Broker(KafkaClusterTestKit cluster) implements AutoCloseable {
        @Override
        public void close() throws Exception {
            cluster.close();
        }
    }
}
