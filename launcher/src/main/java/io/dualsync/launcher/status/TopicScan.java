package io.dualsync.launcher.status;

import io.dualsync.config.KafkaSettings;
import io.dualsync.contract.KafkaClients;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Reads a topic once, from a time (or the beginning) to its end as of the start of the scan,
 * without a consumer group (nothing is committed), committed records only.
 */
final class TopicScan {

    private final KafkaSettings kafka;
    private final Duration timeout;

    TopicScan(KafkaSettings kafka, Duration timeout) {
        this.kafka = kafka;
        this.timeout = timeout;
    }

    /**
     * @param from first record timestamp to read; {@code null}: from the beginning
     * @return how many records were read; 0 when the topic does not exist
     */
    long read(String topic, Instant from, Consumer<ConsumerRecord<byte[], byte[]>> each) {
        Map<String, Object> props = KafkaClients.common(kafka);
        props.put(ConsumerConfig.CLIENT_ID_CONFIG, "dualsync-status-" + ProcessHandle.current().pid());
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        // a status check must never create the topics it looks at
        props.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, false);
        props.put(ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) timeout.toMillis());
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(props)) {
            List<PartitionInfo> partitions = consumer.partitionsFor(topic, timeout);
            if (partitions == null || partitions.isEmpty()) {
                return 0;
            }
            List<TopicPartition> assigned = partitions.stream().map(p -> new TopicPartition(topic, p.partition())).toList();
            consumer.assign(assigned);
            Map<TopicPartition, Long> end = consumer.endOffsets(assigned, timeout);
            consumer.seekToBeginning(assigned);
            if (from != null) {
                Map<TopicPartition, Long> at = new HashMap<>();
                assigned.forEach(p -> at.put(p, from.toEpochMilli()));
                Map<TopicPartition, OffsetAndTimestamp> offsets = consumer.offsetsForTimes(at, timeout);
                for (TopicPartition p : assigned) {
                    OffsetAndTimestamp o = offsets.get(p);
                    consumer.seek(p, o == null ? end.get(p) : o.offset());
                }
            }
            long read = 0;
            long deadline = System.nanoTime() + timeout.toNanos() * 6;
            while (!reachedEnd(consumer, assigned, end)) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("reading " + topic + " did not reach its end in time");
                }
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    if (r.offset() < end.get(new TopicPartition(r.topic(), r.partition()))) {
                        each.accept(r);
                        read++;
                    }
                }
            }
            return read;
        }
    }

    private static boolean reachedEnd(KafkaConsumer<byte[], byte[]> consumer, List<TopicPartition> partitions,
                                      Map<TopicPartition, Long> end) {
        for (TopicPartition p : partitions) {
            if (consumer.position(p) < end.get(p)) {
                return false;
            }
        }
        return true;
    }
}
