package io.dualsync.apply.dlt;

import io.dualsync.config.KafkaSettings;
import io.dualsync.contract.Headers;
import io.dualsync.contract.KafkaClients;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArraySerializer;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;

/**
 * Re-publishes dead letters to the topic they failed on ({@link Headers#ORIGINAL_TOPIC}: a mapped
 * topic for apply's, a raw topic for transform's), in their original partition so changes to one
 * row stay in order, with the original key, value and headers and none of the error headers. Safe
 * to run twice: apply skips a change not newer than what its row holds. A conflict replayed with
 * the decision {@code overwrite} ({@link Headers#REPLAY_DECISION}) is written even though its
 * target row changed locally; without it, it meets the same conflict again.
 */
public final class DeadLetterReplay {

    /** Told how far a replay got. */
    @FunctionalInterface
    public interface Progress {
        void replayed(int done, int total);
    }

    /** What a replay did. */
    public record Outcome(int replayed, List<String> skipped) {
    }

    /** Progress is reported every this many records, and at the end. */
    static final int PROGRESS_EVERY = 500;

    private final KafkaSettings kafka;

    public DeadLetterReplay(KafkaSettings kafka) {
        this.kafka = kafka;
    }

    /**
     * The record to publish for a dead letter: to its original topic and partition (when that
     * partition still exists), original key, value and headers, no error headers; {@code null}
     * when the dead letter does not say where it came from.
     */
    public static ProducerRecord<byte[], byte[]> replayRecord(DeadLetterRecord dead, boolean overwrite, Instant now,
                                                              int partitionsOfTopic) {
        String topic = dead.originalTopic();
        if (topic == null || topic.isBlank()) {
            return null;
        }
        RecordHeaders headers = new RecordHeaders();
        dead.headers().forEach((name, value) -> {
            if (!isFailureHeader(name)) {
                headers.add(name, value == null ? null : value.getBytes(StandardCharsets.UTF_8));
            }
        });
        headers.add(Headers.REPLAYED_AT, now.toString().getBytes(StandardCharsets.UTF_8));
        if (overwrite) {
            headers.add(Headers.REPLAY_DECISION, Headers.REPLAY_OVERWRITE.getBytes(StandardCharsets.UTF_8));
        }
        int p = dead.originalPartition();
        Integer partition = p >= 0 && p < partitionsOfTopic ? p : null;
        return new ProducerRecord<>(topic, partition, dead.key(), dead.value(), headers);
    }

    /** Headers a stage added when the record failed (or an earlier replay added): not part of the change. */
    static boolean isFailureHeader(String name) {
        return name.startsWith("dualsync.error.") || name.startsWith("dualsync.original.")
                || name.startsWith("dualsync.retry.") || name.startsWith("dualsync.replay.")
                || name.equals(Headers.MAP) || name.equals(Headers.CONFLICT_TARGET_IMAGE);
    }

    /**
     * Publishes the records and waits until the broker has every one.
     *
     * @param overwrite whether conflicts among them carry the decision {@code overwrite}
     * @throws DeadLetterException when the cluster cannot be reached or refuses a record
     */
    public Outcome replay(List<DeadLetterRecord> records, boolean overwrite, Progress progress) {
        Map<String, Object> props = KafkaClients.common(kafka);
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        props.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, (int) DeadLetterTopic.TIMEOUT.toMillis());
        props.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 60_000);
        List<String> skipped = new ArrayList<>();
        Map<String, Integer> partitions = new HashMap<>();
        Instant now = Instant.now();
        int done = 0;
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer())) {
            List<Future<RecordMetadata>> window = new ArrayList<>();
            for (DeadLetterRecord dead : records) {
                String topic = dead.originalTopic();
                if (topic == null || topic.isBlank()) {
                    skipped.add(dead.position() + ": no " + Headers.ORIGINAL_TOPIC + " header");
                    continue;
                }
                int count = partitions.computeIfAbsent(topic, t -> partitionsOf(producer, t));
                window.add(producer.send(replayRecord(dead, overwrite && dead.isConflict(), now, count)));
                if (window.size() == PROGRESS_EVERY) {
                    done += await(window);
                    progress.replayed(done, records.size());
                }
            }
            done += await(window);
            progress.replayed(done, records.size());
            return new Outcome(done, skipped);
        } catch (TimeoutException e) {
            throw new DeadLetterException("cannot reach the Kafka cluster at " + kafka.bootstrap()
                    + " to replay: is the broker running, and is kafka.bootstrap right?", e);
        }
    }

    private static int partitionsOf(KafkaProducer<byte[], byte[]> producer, String topic) {
        try {
            return producer.partitionsFor(topic).size();
        } catch (TimeoutException e) {
            throw new DeadLetterException("topic " + topic + " (where the dead letters came from) cannot be found: "
                    + "was the map renamed or the topic deleted? Is the broker reachable?", e);
        }
    }

    private static int await(List<Future<RecordMetadata>> sends) {
        try {
            for (Future<RecordMetadata> f : sends) {
                f.get();
            }
            int n = sends.size();
            sends.clear();
            return n;
        } catch (ExecutionException e) {
            throw new DeadLetterException("the broker refused a replayed record: " + e.getCause().getMessage(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DeadLetterException("interrupted while replaying", e);
        }
    }
}
