package io.dualsync.synclog;

import io.dualsync.config.KafkaSettings;
import io.dualsync.contract.KafkaClients;
import io.dualsync.contract.Topics;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;

/**
 * The sync-log topic {@value #NAME}: created when missing with {@code cleanup.policy=delete} and
 * the configured {@code retention.ms}; when it exists, its retention is set to the configured one
 * (a warning when the broker refuses), so changing the config changes how long entries are kept (Business Central's "delete entries
 * older than 7 days"). Every record key is unique (map, minute, service, instance), so
 * compaction would remove nothing: time-based deletion is what keeps the topic small.
 */
public final class SyncLogTopic {

    public static final String NAME = Topics.SYNC_LOG;
    public static final Duration DEFAULT_RETENTION = Duration.ofDays(7);

    private static final Logger LOG = LoggerFactory.getLogger(SyncLogTopic.class);

    private SyncLogTopic() {
    }

    /** @throws IllegalStateException when the broker cannot create or configure the topic */
    public static void ensure(KafkaSettings kafka, Duration retention) {
        String retentionMs = Long.toString(retention.toMillis());
        try (Admin admin = Admin.create(KafkaClients.common(kafka))) {
            if (!admin.listTopics().names().get().contains(NAME)) {
                NewTopic topic = new NewTopic(NAME, kafka.topicPartitions(), kafka.replicationFactor())
                        .configs(Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_DELETE,
                                TopicConfig.RETENTION_MS_CONFIG, retentionMs));
                try {
                    admin.createTopics(List.of(topic)).all().get();
                    LOG.info("created the sync-log topic {} keeping entries for {}", NAME, retention);
                    return;
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof TopicExistsException)) {
                        throw e;
                    }
                }
            }
            ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, NAME);
            try {
                admin.incrementalAlterConfigs(Map.of(resource, List.of(new AlterConfigOp(
                        new ConfigEntry(TopicConfig.RETENTION_MS_CONFIG, retentionMs), AlterConfigOp.OpType.SET)))).all().get();
            } catch (ExecutionException e) {
                // e.g. no ALTER_CONFIGS permission: the log still works, with the retention the topic has
                LOG.warn("cannot set the retention of {} to {}: {}", NAME, retention, e.getCause().getMessage());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while preparing the sync-log topic", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("cannot prepare the sync-log topic " + NAME + ": " + e.getCause().getMessage(), e.getCause());
        }
    }
}
