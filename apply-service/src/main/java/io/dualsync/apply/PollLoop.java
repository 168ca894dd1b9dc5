package io.dualsync.apply;

import io.dualsync.contract.Headers;
import io.dualsync.contract.MappedChange;
import io.dualsync.contract.Topics;
import io.dualsync.retry.Backoff;
import io.dualsync.retry.RegistryOutage;
import org.apache.kafka.clients.consumer.CommitFailedException;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * The apply worker's loop. It polls the mapped topics and the retry topic, applies each mapped
 * topic's records as one batch ({@link BatchApplier}) and each retry partition's due records, and
 * deals with failures by kind ({@link FailureClassifier}):
 * <ul>
 *   <li>transient (and a schema registry that cannot be reached): the batch is parked and its
 *       partitions paused; it is tried again after an exponential back-off with jitter while the
 *       other partitions keep flowing;</li>
 *   <li>dependent (a missing parent row): the change goes to {@code dualsync.retry.<target>}, due
 *       after a growing delay, at most {@link ApplyOptions#dependentRetries()} times, then to the
 *       dead-letter topic with class {@code dependent};</li>
 *   <li>permanent (and conflicts, and records that cannot be decoded): the change goes to the
 *       dead-letter topic; the batch applier already retried its batch row by row, so only the
 *       changes the database refuses leave.</li>
 * </ul>
 * Offsets are committed only after the target committed and the broker acknowledged every retry
 * and dead-letter record of the batch (style.md 5: commit only what is durable). A crash at any
 * point therefore redelivers records: changes already applied are skipped by the bookkeeping, so
 * nothing is lost and nothing applied twice; at worst a retry or dead-letter record is written
 * twice, and applying (or replaying) it again is skipped the same way.
 */
final class PollLoop implements Runnable {

    private static final Logger LOG = LoggerFactory.getLogger(PollLoop.class);
    private static final Duration POLL_TIMEOUT = Duration.ofMillis(500);

    /** Thrown inside the loop when {@link #stop()} interrupts a wait; leaves without committing. */
    private static final class Stopped extends RuntimeException {
        Stopped() {
            super(null, null, false, false);
        }
    }

    /** A decoded record waiting to be applied, with the mapped topic it belongs to. */
    private record Pending(ConsumerRecord<byte[], byte[]> record, MappedTopic topic, MappedChange change) {
    }

    /**
     * Records applied together and committed together: one mapped topic's records of a poll, or one
     * retry partition's due records. Parked whole when the target fails transiently.
     */
    private static final class Unit {
        final List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
        final Map<TopicPartition, Long> firstOffsets = new HashMap<>();
        final Map<TopicPartition, Long> nextOffsets = new HashMap<>();
        Backoff backoff;
        Instant firstFailure;
        int failedAttempts;
        long dueNanos;

        void add(ConsumerRecord<byte[], byte[]> record) {
            records.add(record);
            TopicPartition tp = new TopicPartition(record.topic(), record.partition());
            firstOffsets.putIfAbsent(tp, record.offset());
            nextOffsets.put(tp, record.offset() + 1);
        }

        Set<TopicPartition> partitions() {
            return nextOffsets.keySet();
        }
    }

    private final String endpoint;
    private final String retryTopic;
    private final Consumer<byte[], byte[]> consumer;
    private final Producer<byte[], byte[]> producer;
    private final ChangeDecoder decoder;
    private final TargetConnection target;
    private final Map<String, MappedTopic> topics;
    private final Map<String, BatchApplier> appliers;
    private final ApplyMetrics metrics;
    private final ApplyOptions options;
    private final Clock clock;
    private final CountDownLatch stopped = new CountDownLatch(1);
    /** batches that failed transiently, waiting for their next try; their partitions are paused */
    private final List<Unit> parked = new ArrayList<>();
    /** retry-topic partitions paused until their next record is due, positioned on that record */
    private final Map<TopicPartition, Instant> waiting = new HashMap<>();

    PollLoop(String endpoint, Consumer<byte[], byte[]> consumer, Producer<byte[], byte[]> producer,
             ChangeDecoder decoder, TargetConnection target, Map<String, MappedTopic> topics,
             Map<String, BatchApplier> appliers, ApplyMetrics metrics, ApplyOptions options) {
        this.endpoint = endpoint;
        this.retryTopic = Topics.retry(endpoint);
        this.consumer = consumer;
        this.producer = producer;
        this.decoder = decoder;
        this.target = target;
        this.topics = topics;
        this.appliers = appliers;
        this.metrics = metrics;
        this.options = options;
        this.clock = Clock.systemUTC();
    }

    /** Asks the loop to leave: wakes a blocked poll and cuts a back-off pause short. */
    void stop() {
        stopped.countDown();
        consumer.wakeup();
    }

    @Override
    public void run() {
        List<String> subscribed = new ArrayList<>(topics.keySet());
        subscribed.add(retryTopic);
        consumer.subscribe(subscribed, new Rebalance());
        try {
            while (stopped.getCount() > 0) {
                resumeDueRetryPartitions();
                ConsumerRecords<byte[], byte[]> records = consumer.poll(pollTimeout());
                if (!records.isEmpty()) {
                    handle(records);
                }
                retryParked();
            }
        } catch (WakeupException | Stopped e) {
            if (stopped.getCount() > 0) {
                throw e;
            }
        }
    }

    private void handle(ConsumerRecords<byte[], byte[]> records) {
        Map<String, Unit> byMappedTopic = new LinkedHashMap<>();
        List<Unit> units = new ArrayList<>();
        Instant now = clock.instant();
        for (TopicPartition tp : records.partitions()) {
            if (tp.topic().equals(retryTopic)) {
                Unit unit = new Unit();
                for (ConsumerRecord<byte[], byte[]> record : records.records(tp)) {
                    Instant due = due(record);
                    if (due.isAfter(now)) {
                        // not yet: read it again from here once it is due (later ones wait behind it)
                        consumer.seek(tp, record.offset());
                        consumer.pause(List.of(tp));
                        waiting.put(tp, due);
                        break;
                    }
                    unit.add(record);
                }
                if (!unit.records.isEmpty()) {
                    units.add(unit);
                }
            } else {
                Unit unit = byMappedTopic.computeIfAbsent(tp.topic(), t -> new Unit());
                records.records(tp).forEach(unit::add);
            }
        }
        units.addAll(0, byMappedTopic.values());
        for (Unit unit : units) {
            process(unit);
        }
    }

    /** Applies a unit; commits it, or parks it after a transient failure. */
    private void process(Unit unit) {
        List<ProducerRecord<byte[], byte[]>> out = new ArrayList<>();
        Map<String, List<Pending>> byTopic = new LinkedHashMap<>();
        for (ConsumerRecord<byte[], byte[]> record : unit.records) {
            String mappedTopic = record.topic().equals(retryTopic) ? DeadLetter.header(record, Headers.ORIGINAL_TOPIC) : record.topic();
            MappedTopic topic = mappedTopic == null ? null : topics.get(mappedTopic);
            try {
                if (topic == null) {
                    throw new IllegalArgumentException("record names no mapped topic of this service: " + mappedTopic);
                }
                byTopic.computeIfAbsent(topic.topic(), t -> new ArrayList<>()).add(new Pending(record, topic, decoder.decode(mappedTopic, record)));
            } catch (RuntimeException e) {
                if (RegistryOutage.causedBy(e)) {
                    // the record is fine, the registry is not there to give its schema: wait for it
                    park(unit, "the schema registry cannot be reached (" + e.getClass().getName() + ")");
                    return;
                }
                Instant now = clock.instant();
                LOG.warn("{}-{}@{}: record cannot be decoded ({}); sending it to the dead-letter topic",
                        record.topic(), record.partition(), record.offset(), e.getClass().getName());
                String map = topic == null ? nullToEmpty(DeadLetter.header(record, Headers.MAP)) : topic.map().name();
                out.add(DeadLetter.of(endpoint, map, record, new DeadLetter.Failure(Headers.ERROR_CLASS_UNDECODABLE,
                        e.getClass().getName(), null, SafeMessage.of(e), 1, now, now, null)));
                metrics.undecodable(map);
            }
        }
        try {
            for (Map.Entry<String, List<Pending>> group : byTopic.entrySet()) {
                out.addAll(apply(topics.get(group.getKey()), group.getValue(), unit));
            }
        } catch (TransientApplyException | SQLException e) {
            park(unit, "SQLState " + FailureClassifier.sqlState(e));
            return;
        }
        send(out);
        commit(unit.nextOffsets);
        if (unit.failedAttempts > 0) {
            Set<TopicPartition> resume = assigned(unit.partitions());
            resume.removeAll(waiting.keySet());
            consumer.resume(resume);
            LOG.info("{} partition(s) resumed: their records applied after {} transient failure(s)",
                    unit.partitions().size(), unit.failedAttempts);
        }
    }

    /** Applies one mapped topic's records; returns the retry and dead-letter records of those refused. */
    private List<ProducerRecord<byte[], byte[]>> apply(MappedTopic topic, List<Pending> pending, Unit unit)
            throws SQLException {
        List<MappedChange> changes = pending.stream().map(Pending::change).toList();
        List<String> arbitrated = pending.stream().map(p -> DeadLetter.header(p.record(), Headers.ARBITRATED_TARGET_HASH)).toList();
        List<Boolean> overwrite = pending.stream()
                .map(p -> Headers.REPLAY_OVERWRITE.equals(DeadLetter.header(p.record(), Headers.REPLAY_DECISION))).toList();
        String map = topic.map().name();
        ApplyResult result = appliers.get(topic.topic()).apply(connection(), changes, arbitrated, overwrite);
        metrics.record(map, result);
        List<ProducerRecord<byte[], byte[]>> out = new ArrayList<>();
        int dead = 0;
        int failed = 0;
        for (FailedChange f : result.failed()) {
            ConsumerRecord<byte[], byte[]> record = pending.get(f.index()).record();
            Instant first = unit.firstFailure == null ? f.firstFailure() : unit.firstFailure;
            int attempts = f.attempts() + unit.failedAttempts;
            boolean conflict = Headers.ERROR_CLASS_CONFLICT.equals(f.errorClass());
            int retries = DeadLetter.retries(record);
            if (f.dependent() && retries < options.dependentRetries()) {
                Instant due = clock.instant().plus(options.dependentDelay(retries + 1));
                out.add(DeadLetter.retry(endpoint, map, record, new DeadLetter.Failure(Headers.ERROR_CLASS_DEPENDENT,
                        f.errorClass(), f.sqlState(), f.message(), attempts, first, f.lastFailure(), null), due));
                LOG.info("map {}: change from {}-{}@{} waits for its parent row; retry {} of {} due at {}", map,
                        record.topic(), record.partition(), record.offset(), retries + 1, options.dependentRetries(), due);
            } else {
                String errorClass = conflict ? Headers.ERROR_CLASS_CONFLICT
                        : f.dependent() ? Headers.ERROR_CLASS_DEPENDENT : Headers.ERROR_CLASS_PERMANENT;
                out.add(DeadLetter.of(endpoint, map, record, new DeadLetter.Failure(errorClass,
                        conflict ? null : f.errorClass(), f.sqlState(), f.message(), attempts, first, f.lastFailure(),
                        f.targetImage())));
                dead++;
                failed += conflict ? 0 : 1;
            }
        }
        metrics.deadLettered(map, dead);
        metrics.failed(map, failed);
        LOG.debug("map {}: {} applied, {} unchanged, {} duplicates, {} superseded, {} dead-lettered, {} to retry",
                map, result.applied(), result.unchanged(), result.duplicates(), result.superseded(), dead,
                result.failed().size() - dead);
        return out;
    }

    private java.sql.Connection connection() throws SQLException {
        try {
            return target.get();
        } catch (SQLException e) {
            if (!FailureClassifier.isTransient(e)) {
                // cannot even connect for a reason that will not pass (credentials, unknown database)
                throw new IllegalStateException("cannot connect to endpoint " + endpoint + ": SQLState " + e.getSQLState(), e);
            }
            throw e;
        }
    }

    /** Holds a unit that failed transiently and pauses its partitions until its next try. */
    private void park(Unit unit, String reason) {
        if (unit.backoff == null) {
            unit.backoff = new Backoff(options.firstBackoff(), options.maxBackoff());
            unit.firstFailure = clock.instant();
        }
        unit.failedAttempts++;
        Duration pause = unit.backoff.next();
        unit.dueNanos = System.nanoTime() + pause.toNanos();
        target.reset();
        consumer.pause(assigned(unit.partitions()));
        if (!parked.contains(unit)) {
            parked.add(unit);
        }
        LOG.warn("{} record(s) of {} partition(s) failed transiently ({}), attempt {}; retrying in {} ms, "
                        + "other partitions keep flowing", unit.records.size(), unit.partitions().size(),
                reason, unit.failedAttempts, pause.toMillis());
    }

    private void retryParked() {
        long now = System.nanoTime();
        List<Unit> due = parked.stream().filter(u -> u.dueNanos - now <= 0).toList();
        for (Unit unit : due) {
            parked.remove(unit);
            process(unit);
        }
    }

    private void resumeDueRetryPartitions() {
        Instant now = clock.instant();
        for (Iterator<Map.Entry<TopicPartition, Instant>> it = waiting.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<TopicPartition, Instant> e = it.next();
            TopicPartition tp = e.getKey();
            if (!e.getValue().isAfter(now)) {
                it.remove();
                // a parked batch of this partition resumes it when it is through, or records would overtake it
                if (parked.stream().noneMatch(u -> u.partitions().contains(tp))) {
                    consumer.resume(assigned(List.of(tp)));
                }
            }
        }
    }

    /** Until the next parked unit or waiting retry is due, at most {@link #POLL_TIMEOUT}. */
    private Duration pollTimeout() {
        long nanos = POLL_TIMEOUT.toNanos();
        long now = System.nanoTime();
        for (Unit u : parked) {
            nanos = Math.min(nanos, Math.max(0, u.dueNanos - now));
        }
        Instant wall = clock.instant();
        for (Instant due : waiting.values()) {
            nanos = Math.min(nanos, Math.max(0, Duration.between(wall, due).toNanos()));
        }
        return Duration.ofNanos(nanos);
    }

    private static Instant due(ConsumerRecord<byte[], byte[]> record) {
        String due = DeadLetter.header(record, Headers.RETRY_DUE);
        try {
            return due == null ? Instant.EPOCH : Instant.parse(due);
        } catch (DateTimeParseException e) {
            return Instant.EPOCH;
        }
    }

    /** Sends the retry and dead-letter records and waits until the broker has every one, retrying with back-off. */
    private void send(List<ProducerRecord<byte[], byte[]>> records) {
        Backoff backoff = new Backoff(options.firstBackoff(), options.maxBackoff());
        List<ProducerRecord<byte[], byte[]>> unsent = records;
        while (!unsent.isEmpty()) {
            List<Future<RecordMetadata>> sends = unsent.stream().map(producer::send).toList();
            List<ProducerRecord<byte[], byte[]>> failed = new ArrayList<>();
            for (int i = 0; i < sends.size(); i++) {
                try {
                    sends.get(i).get();
                } catch (ExecutionException e) {
                    LOG.warn("sending a record to {} failed ({}); retrying", unsent.get(i).topic(), e.getCause().getClass().getName());
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

    private void commit(Map<TopicPartition, Long> nextOffsets) {
        Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
        nextOffsets.forEach((tp, next) -> offsets.put(tp, new OffsetAndMetadata(next)));
        try {
            consumer.commitSync(offsets);
        } catch (CommitFailedException e) {
            // the group rebalanced meanwhile: the new owner gets these records again and skips them as duplicates
            LOG.warn("committing offsets of {} partitions failed after a rebalance; the records will be redelivered",
                    offsets.size());
        } catch (RetriableException e) {
            // the broker is unreachable for now: a later commit covers these offsets, or a restart redelivers them
            LOG.warn("committing offsets of {} partitions failed for now ({}); a later commit covers them",
                    offsets.size(), e.getClass().getName());
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

    private Set<TopicPartition> assigned(Collection<TopicPartition> partitions) {
        Set<TopicPartition> mine = new HashSet<>(partitions);
        mine.retainAll(consumer.assignment());
        return mine;
    }

    private static String nullToEmpty(String s) {
        return s == null ? "" : s;
    }

    /**
     * Forgets what this worker held of partitions it loses: their records were not committed, so
     * their new owner reads them again. A parked unit that also held partitions this worker keeps
     * is rewound there, so those records are read again too.
     */
    private final class Rebalance implements ConsumerRebalanceListener {
        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
            forget(partitions);
        }

        @Override
        public void onPartitionsLost(Collection<TopicPartition> partitions) {
            forget(partitions);
        }

        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
        }

        private void forget(Collection<TopicPartition> lost) {
            waiting.keySet().removeAll(lost);
            for (Iterator<Unit> it = parked.iterator(); it.hasNext(); ) {
                Unit unit = it.next();
                if (unit.partitions().stream().noneMatch(lost::contains)) {
                    continue;
                }
                it.remove();
                for (TopicPartition tp : unit.partitions()) {
                    if (!lost.contains(tp) && consumer.assignment().contains(tp)) {
                        consumer.seek(tp, unit.firstOffsets.get(tp));
                        consumer.resume(List.of(tp));
                    }
                }
            }
        }
    }
}
