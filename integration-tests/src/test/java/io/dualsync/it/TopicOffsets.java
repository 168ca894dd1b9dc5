package io.dualsync.it;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.TopicPartition;

import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * The end offsets of topics as the tests count records with them: the sum over all partitions,
 * 0 for a topic that does not exist (yet). On a topic written without transactions that is the
 * number of records; a transactional producer's commit markers count too.
 */
public final class TopicOffsets {

    private TopicOffsets() {
    }

    public static long endOffsets(String bootstrapServers, Collection<String> topics) throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers))) {
            Set<String> existing = admin.listTopics().names().get();
            Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
            for (String topic : topics) {
                if (existing.contains(topic)) {
                    admin.describeTopics(Set.of(topic)).allTopicNames().get().get(topic).partitions()
                            .forEach(p -> latest.put(new TopicPartition(topic, p.partition()), OffsetSpec.latest()));
                }
            }
            return latest.isEmpty() ? 0 : admin.listOffsets(latest).all().get().values().stream().mapToLong(o -> o.offset()).sum();
        }
    }
}
