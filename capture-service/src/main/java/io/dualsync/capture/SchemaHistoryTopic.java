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
 * Creates the topic that holds a binlog connector's schema history: one partition (Debezium reads
 * it in order and refuses more) and kept forever (no time or size retention, not compacted:
 * every DDL statement is needed to rebuild the table definitions on restart). Created here rather
 * than by Debezium so that it gets the configured replication factor.
 */
final class SchemaHistoryTopic {

    private SchemaHistoryTopic() {
    }

    static void ensure(KafkaSettings kafka, String topic) {
        NewTopic newTopic = new NewTopic(topic, 1, kafka.replicationFactor()).configs(Map.of(
                TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_DELETE,
                TopicConfig.RETENTION_MS_CONFIG, "-1",
                TopicConfig.RETENTION_BYTES_CONFIG, "-1"));
        try (Admin admin = Admin.create(KafkaClients.common(kafka))) {
            admin.createTopics(List.of(newTopic)).all().get();
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof TopicExistsException)) {
                throw new IllegalStateException("could not create schema history topic " + topic + ": "
                        + e.getCause().getMessage(), e.getCause());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while creating schema history topic " + topic, e);
        }
    }
}
