package io.dualsync.apply.dlt;

import io.dualsync.config.KafkaSettings;
import io.dualsync.contract.KafkaClients;
import io.dualsync.contract.Topics;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.RecordsToDelete;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.function.Consumer;

/**
 * The dead-letter topic of one target endpoint, {@code dualsync.dlt.<endpoint>}, as the operator
 * commands read and trim it. Reads see committed records only, from the start of each partition to
 * its end as it was when the read began. Every failure to reach the cluster or find the topic is
 * a {@link DeadLetterException} with a message meant for the operator.
 */
public final class DeadLetterTopic {

    /** How long a command waits for the cluster before saying it cannot reach it. */
    static final Duration TIMEOUT = Duration.ofSeconds(15);

    private final KafkaSettings kafka;
    private final String endpoint;
    private final String topic;

    public DeadLetterTopic(KafkaSettings kafka, String endpoint) {
        this.kafka = kafka;
        this.endpoint = endpoint;
        this.topic = Topics.deadLetter(endpoint);
    }

    public String name() {
        return topic;
    }

    public String endpoint() {
        return endpoint;
    }

    /** Hands every record from the start to the current end of every partition to {@code sink}, in partition order. */
    public void read(Consumer<DeadLetterRecord> sink) {
        List<TopicPartition> partitions = partitions();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(consumerProperties(),
                new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            consumer.assign(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions, TIMEOUT);
            consumer.seekToBeginning(partitions);
            List<TopicPartition> open = new ArrayList<>(partitions);
            open.removeIf(tp -> consumer.position(tp, TIMEOUT) >= end.get(tp));
            while (!open.isEmpty()) {
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(500))) {
                    TopicPartition tp = new TopicPartition(r.topic(), r.partition());
                    if (r.offset() < end.get(tp)) {
                        sink.accept(DeadLetterRecord.of(r));
                    }
                }
                // transaction markers and aborted records take offsets too: the position tells when a partition is done
                open.removeIf(tp -> consumer.position(tp, TIMEOUT) >= end.get(tp));
            }
        } catch (TimeoutException e) {
            throw unreachable(e);
        }
    }

    /** The records the filter selects, in partition and offset order. */
    public List<DeadLetterRecord> select(DeadLetterFilter filter) {
        List<DeadLetterRecord> selected = new ArrayList<>();
        read(r -> {
            if (filter.matches(r)) {
                selected.add(r);
            }
        });
        return selected;
    }

    /** What a purge would remove, per partition: from the first record still there up to (not including) the offset. */
    public record Trim(TopicPartition partition, long from, long to) {
        public long count() {
            return Math.max(0, to - from);
        }
    }

    /**
     * The trims that remove every record, or every record written before {@code before} (the
     * record timestamp: when it was dead-lettered), or, in one partition, every record before an offset.
     */
    public List<Trim> plan(Instant before, Map<Integer, Long> beforeOffsets) {
        List<TopicPartition> partitions = partitions();
        try (Admin admin = admin()) {
            Map<TopicPartition, OffsetSpec> earliest = new HashMap<>();
            Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
            Map<TopicPartition, OffsetSpec> atTime = new HashMap<>();
            for (TopicPartition tp : partitions) {
                earliest.put(tp, OffsetSpec.earliest());
                latest.put(tp, OffsetSpec.latest());
                if (before != null) {
                    atTime.put(tp, OffsetSpec.forTimestamp(before.toEpochMilli()));
                }
            }
            var low = admin.listOffsets(earliest).all().get();
            var high = admin.listOffsets(latest).all().get();
            var timed = before == null ? null : admin.listOffsets(atTime).all().get();
            List<Trim> trims = new ArrayList<>();
            for (TopicPartition tp : partitions) {
                long from = low.get(tp).offset();
                long to = high.get(tp).offset();
                if (timed != null) {
                    long t = timed.get(tp).offset();
                    to = t < 0 ? to : Math.min(to, t);   // -1: no record that late, so all go
                }
                if (beforeOffsets != null && !beforeOffsets.isEmpty()) {
                    to = beforeOffsets.containsKey(tp.partition()) ? Math.min(to, beforeOffsets.get(tp.partition())) : from;
                }
                trims.add(new Trim(tp, from, Math.max(from, to)));
            }
            return trims;
        } catch (ExecutionException e) {
            throw failure(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DeadLetterException("interrupted", e);
        }
    }

    /** Deletes what the trims say (Kafka deletes records only up to an offset per partition); returns how many went. */
    public long purge(List<Trim> trims) {
        Map<TopicPartition, RecordsToDelete> delete = new HashMap<>();
        long count = 0;
        for (Trim t : trims) {
            if (t.count() > 0) {
                delete.put(t.partition(), RecordsToDelete.beforeOffset(t.to()));
                count += t.count();
            }
        }
        if (delete.isEmpty()) {
            return 0;
        }
        try (Admin admin = admin()) {
            admin.deleteRecords(delete).all().get();
            return count;
        } catch (ExecutionException e) {
            throw failure(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DeadLetterException("interrupted", e);
        }
    }

    /** The topic's partitions; a clear error when the topic or the cluster is not there. */
    List<TopicPartition> partitions() {
        try (Admin admin = admin()) {
            TopicDescription d = admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic);
            return d.partitions().stream().map(p -> new TopicPartition(topic, p.partition())).toList();
        } catch (ExecutionException e) {
            throw failure(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DeadLetterException("interrupted", e);
        }
    }

    Admin admin() {
        Map<String, Object> props = KafkaClients.common(kafka);
        props.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) TIMEOUT.toMillis());
        props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) TIMEOUT.toMillis());
        return Admin.create(props);
    }

    private Map<String, Object> consumerProperties() {
        Map<String, Object> props = KafkaClients.common(kafka);
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, IsolationLevel.READ_COMMITTED.toString());
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        props.put(ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) TIMEOUT.toMillis());
        props.put(ConsumerConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) TIMEOUT.toMillis());
        return props;
    }

    private DeadLetterException failure(ExecutionException e) {
        Throwable cause = e.getCause();
        if (cause instanceof UnknownTopicOrPartitionException) {
            return new DeadLetterException("topic " + topic + " does not exist: nothing was dead-lettered for endpoint "
                    + endpoint + " yet (the apply service creates it when it starts), or the config names another cluster", cause);
        }
        if (cause instanceof TimeoutException) {
            return unreachable(cause);
        }
        return new DeadLetterException("Kafka refused the request on " + topic + ": " + cause.getMessage(), cause);
    }

    private DeadLetterException unreachable(Throwable cause) {
        return new DeadLetterException("cannot reach the Kafka cluster at " + kafka.bootstrap() + " (no answer within "
                + TIMEOUT.toSeconds() + " s): is the broker running, and is kafka.bootstrap right?", cause);
    }
}
