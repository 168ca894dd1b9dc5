package io.dualsync.contract;

import io.dualsync.config.KafkaSettings;
import io.dualsync.config.Secret;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.AuthenticationException;
import org.apache.kafka.common.errors.SslAuthenticationException;
import org.apache.kafka.common.errors.TopicExistsException;

import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.function.Function;

/**
 * Kafka client settings every service starts from, and creation of the topics a service needs.
 * Each service creates the topics it reads and writes if they are missing, so the services
 * can start in any order.
 */
public final class KafkaClients {

    private KafkaClients() {
    }

    /**
     * Bootstrap servers, the user's extra client properties, and the TLS/SASL settings of
     * {@code kafka.security} ({@link io.dualsync.config.KafkaSecurity#clientProperties()}): what
     * every client dualsync creates starts from, directly or under a prefix (Debezium's schema
     * history clients). The map may hold passwords: never log it.
     */
    public static Map<String, Object> common(KafkaSettings kafka) {
        return common(kafka, Secret::value);
    }

    /** {@link #common(KafkaSettings)} with each secret written as {@code secrets} renders it. */
    public static Map<String, Object> common(KafkaSettings kafka, Function<Secret, String> secrets) {
        Map<String, Object> props = new HashMap<>(kafka.properties());
        props.putAll(kafka.security().clientProperties(secrets));
        props.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrap());
        return props;
    }

    /**
     * A message for a client that could not reach the broker, naming a failed TLS handshake or a
     * refused login as such (with the configured protocol and user, never a password), since
     * Kafka's own exception says little about where to look.
     */
    public static String describeFailure(KafkaSettings kafka, Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof SslAuthenticationException) {
                return "the TLS handshake with Kafka at " + kafka.bootstrap() + " failed (" + kafka.security().describe()
                        + "): " + t.getMessage() + ". Check kafka.security: the trust store must hold the CA that signed the"
                        + " broker's certificate, the certificate must name the host in kafka.bootstrap, and for mutual TLS"
                        + " the broker must trust the client certificate in keystoreFile";
            }
            if (t instanceof AuthenticationException) {
                return "Kafka at " + kafka.bootstrap() + " refused the login (" + kafka.security().describe() + "): "
                        + t.getMessage() + ". Check kafka.security.sasl: the user, its password and the mechanism"
                        + " must match a SCRAM credential or user on the broker";
            }
        }
        return failure.getMessage();
    }

    /** Creates every topic of {@code names} that does not exist yet, with the configured sizing. */
    public static void ensureTopics(KafkaSettings kafka, Collection<String> names) {
        ensureTopics(kafka, names, Map.of());
    }

    /** As {@link #ensureTopics(KafkaSettings, Collection)}, creating them with the topic {@code configs} (e.g. compaction). */
    public static void ensureTopics(KafkaSettings kafka, Collection<String> names, Map<String, String> configs) {
        if (names.isEmpty()) {
            return;
        }
        try (Admin admin = Admin.create(common(kafka))) {
            Set<String> existing = admin.listTopics().names().get();
            List<NewTopic> missing = names.stream().distinct()
                    .filter(n -> !existing.contains(n))
                    .map(n -> new NewTopic(n, kafka.topicPartitions(), kafka.replicationFactor()).configs(configs))
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
            awaitLeaders(admin, missing.stream().map(NewTopic::name).toList());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while creating topics", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("could not create topics " + names + ": " + describeFailure(kafka, e.getCause()), e.getCause());
        }
    }

    /**
     * Waits (up to 30 s) until the broker answering describes every new topic with a leader for each
     * partition. Created is not yet known everywhere: a Kafka Streams application whose source topic
     * its first rebalance does not find dies with MissingSourceTopicException (seen right after this
     * method had created the topic).
     */
    private static void awaitLeaders(Admin admin, List<String> topics) throws InterruptedException, ExecutionException {
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(30);
        while (true) {
            try {
                boolean ready = admin.describeTopics(topics).allTopicNames().get().values().stream()
                        .allMatch(d -> !d.partitions().isEmpty() && d.partitions().stream().allMatch(p -> p.leader() != null));
                if (ready || System.nanoTime() > deadline) {
                    return;
                }
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof org.apache.kafka.common.errors.UnknownTopicOrPartitionException)
                        || System.nanoTime() > deadline) {
                    throw e;
                }
            }
            Thread.sleep(50);
        }
    }
}
