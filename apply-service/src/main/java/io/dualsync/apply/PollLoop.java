package io.dualsync.apply;

import io.dualsync.contract.Headers;
import io.dualsync.contract.MappedChange;
import org.apache.kafka.clients.consumer.CommitFailedException;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * The apply worker's loop: poll mapped records, decode them, apply each topic's records as one batch
 * ({@link BatchApplier}), retry transient failures with back-off for as long as it takes, send what
 * the target rejects (and what cannot be decoded) to the dead-letter topic and wait for the broker
 * to acknowledge it, and only then commit the consumed offsets (style.md 5: commit only what is
 * durable). A crash at any point therefore redelivers records, which the bookkeeping skips.
 */
final class PollLoop implements Runnable {

    private static final Logger LOG = LoggerFactory.getLogger(PollLoop.class);
    private static final Duration POLL_TIMEOUT = Duration.ofMillis(500);

    /** Thrown inside the loop when {@link #stop()} interrupts a retry; leaves without committing. */
    private static final class Stopped extends RuntimeException {
        Stopped() {
            super(null, null, false, false);
        }
    }

    /** A decoded record waiting to be applied. */
    private record Pending(ConsumerRecord<byte[], byte[]> record, MappedChange change) {
    }

    private final String endpoint;
    private final Consumer<byte[], byte[]> consumer;
    private final Producer<byte[], byte[]> deadLetters;
    private final ChangeDecoder decoder;
    private final TargetConnection target;
    private final Map<String, MappedTopic> topics;
    private final Map<String, BatchApplier> appliers;
    private final ApplyMetrics metrics;
    private final Duration firstBackoff;
    private final Duration maxBackoff;
    private final CountDownLatch stopped = new CountDownLatch(1);

    PollLoop(String endpoint, Consumer<byte[], byte[]> consumer, Producer<byte[], byte[]> deadLetters,
             ChangeDecoder decoder, TargetConnection target, Map<String, MappedTopic> topics,
             Map<String, BatchApplier> appliers, ApplyMetrics metrics, Duration firstBackoff, Duration maxBackoff) {
        this.endpoint = endpoint;
        this.consumer = consumer;
        this.deadLetters = deadLetters;
        this.decoder = decoder;
        this.target = target;
        this.topics = topics;
        this.appliers = appliers;
        this.metrics = metrics;
        this.firstBackoff = firstBackoff;
        this.maxBackoff = maxBackoff;
    }

    /** Asks the loop to leave: wakes a blocked poll and cuts a back-off pause short. */
    void stop() {
        stopped.countDown();
        consumer.wakeup();
    }

    @Override
    public void run() {
        consumer.subscribe(topics.keySet());
        try {
            while (stopped.getCount() > 0) {
                ConsumerRecords<byte[], byte[]> records = consumer.poll(POLL_TIMEOUT);
                if (!records.isEmpty()) {
                    handle(records);
                }
            }
        } catch (WakeupException | Stopped e) {
            if (stopped.getCount() > 0) {
                throw e;
            }
        }
    }

    private void handle(ConsumerRecords<byte[], byte[]> records) {
        List<ProducerRecord<byte[], byte[]>> dead = new ArrayList<>();
        Map<String, List<Pending>> byTopic = new LinkedHashMap<>();
        for (ConsumerRecord<byte[], byte[]> record : records) {
            try {
                byTopic.computeIfAbsent(record.topic(), t -> new ArrayList<>())
                        .add(new Pending(record, decoder.decode(record)));
            } catch (RuntimeException e) {
                Instant now = Instant.now();
                LOG.warn("{}-{}@{}: record cannot be decoded ({}); sending it to the dead-letter topic",
                        record.topic(), record.partition(), record.offset(), e.getClass().getName());
                dead.add(DeadLetter.of(endpoint, mapName(record.topic()), record, e.getClass().getName(), null,
                        e.getMessage(), 1, now, now));
                metrics.undecodable(mapName(record.topic()));
            }
        }
        for (Map.Entry<String, List<Pending>> group : byTopic.entrySet()) {
            dead.addAll(apply(topics.get(group.getKey()), group.getValue()));
        }
        send(dead);
        commit(records);
    }

    /** Applies one topic's records, retrying transient failures; returns the dead letters of the rejected ones. */
    private List<ProducerRecord<byte[], byte[]>> apply(MappedTopic topic, List<Pending> pending) {
        List<MappedChange> changes = pending.stream().map(Pending::change).toList();
        List<String> arbitrated = pending.stream().map(p -> header(p.record(), Headers.ARBITRATED_TARGET_HASH)).toList();
        String map = topic.map().name();
        Backoff backoff = new Backoff(firstBackoff, maxBackoff);
        Instant firstFailure = null;
        for (int attempt = 1; ; attempt++) {
            try {
                ApplyResult result = appliers.get(topic.topic()).apply(target.get(), changes, arbitrated);
                metrics.record(map, result);
                List<ProducerRecord<byte[], byte[]>> dead = new ArrayList<>();
                for (FailedChange f : result.failed()) {
                    Instant first = firstFailure == null ? f.firstFailure() : firstFailure;
                    dead.add(DeadLetter.of(endpoint, map, pending.get(f.index()).record(), f.errorClass(), f.sqlState(),
                            f.message(), f.attempts() + attempt - 1, first, f.lastFailure(), f.targetImage()));
                }
                metrics.deadLettered(map, dead.size());
                LOG.debug("map {}: {} applied, {} unchanged, {} duplicates, {} superseded, {} dead-lettered",
                        map, result.applied(), result.unchanged(), result.duplicates(), result.superseded(), dead.size());
                return dead;
            } catch (TransientApplyException | SQLException e) {
                String sqlState = FailureClassifier.sqlState(e);
                if (e instanceof SQLException && !FailureClassifier.isTransient(e)) {
                    // cannot even connect for a reason that will not pass (credentials, unknown database)
                    throw new IllegalStateException("cannot connect to endpoint " + endpoint + ": SQLState " + sqlState, e);
                }
                firstFailure = firstFailure == null ? Instant.now() : firstFailure;
                Duration pause = backoff.next();
                LOG.warn("map {}: applying {} records failed transiently (SQLState {}), attempt {}; retrying in {} ms",
                        map, changes.size(), sqlState, attempt, pause.toMillis());
                target.reset();
                pause(pause);
            }
        }
    }

    /** Sends the dead letters and waits until the broker has every one, retrying with back-off. */
    private void send(List<ProducerRecord<byte[], byte[]>> dead) {
        Backoff backoff = new Backoff(firstBackoff, maxBackoff);
        List<ProducerRecord<byte[], byte[]>> unsent = dead;
        while (!unsent.isEmpty()) {
            List<Future<RecordMetadata>> sends = unsent.stream().map(deadLetters::send).toList();
            List<ProducerRecord<byte[], byte[]>> failed = new ArrayList<>();
            for (int i = 0; i < sends.size(); i++) {
                try {
                    sends.get(i).get();
                } catch (ExecutionException e) {
                    LOG.warn("sending a dead letter to {} failed ({})", unsent.get(i).topic(), e.getCause().getClass().getName());
                    failed.add(unsent.get(i));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new Stopped();
                }
            }
            unsent = failed;
            if (!unsent.isEmpty()) {
                pause(backoff.next());
            }
        }
    }

    private void commit(ConsumerRecords<byte[], byte[]> records) {
        Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
        for (TopicPartition partition : records.partitions()) {
            List<ConsumerRecord<byte[], byte[]>> inPartition = records.records(partition);
            offsets.put(partition, new OffsetAndMetadata(inPartition.getLast().offset() + 1));
        }
        try {
            consumer.commitSync(offsets);
        } catch (CommitFailedException e) {
            // the group rebalanced meanwhile: the new owner gets these records again and skips them as duplicates
            LOG.warn("committing offsets of {} partitions failed after a rebalance; the records will be redelivered",
                    offsets.size());
        }
    }

    private void pause(Duration pause) {
        try {
            if (stopped.await(pause.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new Stopped();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Stopped();
        }
    }

    private String mapName(String topic) {
        MappedTopic t = topics.get(topic);
        return t == null ? "" : t.map().name();
    }

    private static String header(ConsumerRecord<byte[], byte[]> record, String name) {
        org.apache.kafka.common.header.Header header = record.headers().lastHeader(name);
        return header == null || header.value() == null ? null : new String(header.value(), java.nio.charset.StandardCharsets.UTF_8);
    }
}
