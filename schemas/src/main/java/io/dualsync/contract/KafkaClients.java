package io.dualsync.contract;

import io.dualsync.config.KafkaSettings;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.TopicExistsException;

import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;

/**
 * Kafka client settings every service starts from, and creation of the topics a service needs.
 * Each service creates the topics it reads and writes if they are missing, so the services
 * can start in any order.
 */
public final class KafkaClients {

    private KafkaClients() {
    }

    /** Bootstrap servers plus the user's extra client properties (security, for example). */
    public static Map<String, Object> common(KafkaSettings kafka) {
        Map<String, Object> props = new HashMap<>(kafka.properties());
        props.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrap());
        return props;
    }

    /** Creates every topic of {@code names} that does not exist yet, with the configured sizing. */
    public static void ensureTopics(KafkaSettings kafka, Collection<String> names) {
        if (names.isEmpty()) {
            return;
        }
        try (Admin admin = Admin.create(common(kafka))) {
            Set<String> existing = admin.listTopics().names().get();
            List<NewTopic> missing = names.stream().distinct()
                    .filter(n -> !existing.contains(n))
                    .map(n -> new NewTopic(n, kafka.topicPartitions(), kafka.replicationFactor()))
                    .toList();
            if (missing.isEmpty()) {
                return;
            }
            try {
                admin.createTopics(missing).all().get();
            } catch (ExecutionException e) {
                // another service instance may have created it a moment ago
                if (!(e.getCause() instanceof TopicExistsException)) {
                    throw e;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while creating topics", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("could not create topics " + names + ": " + e.getCause().getMessage(), e.getCause());
        }
    }
}
