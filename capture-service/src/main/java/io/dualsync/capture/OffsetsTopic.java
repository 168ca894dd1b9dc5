package io.dualsync.capture;

import io.dualsync.config.KafkaSettings;
import io.dualsync.contract.KafkaClients;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;

/**
 * Creates the topic that holds a capture engine's source offsets: one partition (Connect reads
 * it whole) and compacted, so the latest offset per engine is kept forever rather than expiring
 * with time-based retention, which would make a restarted engine snapshot everything again.
 * Connect's offset store refuses a topic that is not compacted.
 */
final class OffsetsTopic {

    private OffsetsTopic() {
    }

    static void ensure(KafkaSettings kafka, String topic) {
        NewTopic newTopic = new NewTopic(topic, 1, kafka.replicationFactor())
                .configs(Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT));
        try (Admin admin = Admin.create(KafkaClients.common(kafka))) {
            admin.createTopics(List.of(newTopic)).all().get();
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof TopicExistsException)) {
                throw new IllegalStateException("could not create offsets topic " + topic + ": " + e.getCause().getMessage(), e.getCause());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while creating offsets topic " + topic, e);
        }
    }
}
