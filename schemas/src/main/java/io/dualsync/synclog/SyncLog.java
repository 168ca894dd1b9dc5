package io.dualsync.synclog;

import io.dualsync.config.KafkaSettings;
import io.dualsync.contract.KafkaClients;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The sync log of one process (issue 5): services report each change's outcome through a
 * {@link #recorder(String) recorder}; every {@link #FLUSH_INTERVAL} the minutes that are over are
 * published to {@link SyncLogTopic#NAME}, one JSON {@link SyncLogEntry} per map, minute and
 * service; {@link #close()} publishes the current minute too. Entries the broker does not take
 * are kept and sent with the next flush. {@link #inMemory} builds one that only counts into
 * Micrometer (for services run without a launcher, and tests).
 */
public final class SyncLog implements AutoCloseable {

    public static final Duration FLUSH_INTERVAL = Duration.ofSeconds(5);

    private static final Logger LOG = LoggerFactory.getLogger(SyncLog.class);
    private static final Duration SEND_TIMEOUT = Duration.ofSeconds(10);

    private final MinuteAggregator minutes;
    private final MeterRegistry meters;
    private final KafkaSettings kafka;
    private final Duration retention;
    private final List<SyncLogEntry> unsent = new ArrayList<>();
    private Producer<byte[], byte[]> producer;
    private ScheduledExecutorService flusher;

    private SyncLog(KafkaSettings kafka, Duration retention, MeterRegistry meters, Clock clock) {
        this.kafka = kafka;
        this.retention = retention;
        this.meters = meters;
        this.minutes = new MinuteAggregator(clock, instanceName());
    }

    /** A sync log published to Kafka once {@link #start()}ed, kept for {@code retention}. */
    public static SyncLog publishing(KafkaSettings kafka, Duration retention, MeterRegistry meters) {
        return new SyncLog(kafka, retention, meters, Clock.systemUTC());
    }

    /** Counts into {@code meters} only; {@link #start()} and {@link #close()} do nothing. */
    public static SyncLog inMemory(MeterRegistry meters) {
        return new SyncLog(null, null, meters, Clock.systemUTC());
    }

    /** A recorder for one service: {@code transform} or {@code apply[<endpoint>]}. */
    public SyncLogRecorder recorder(String service) {
        return new SyncLogRecorder(service, minutes, meters);
    }

    /**
     * Creates or configures the topic and starts publishing.
     *
     * @throws IllegalStateException when the broker cannot create the topic
     */
    public synchronized void start() {
        if (kafka == null || producer != null) {
            return;
        }
        SyncLogTopic.ensure(kafka, retention);
        Map<String, Object> props = KafkaClients.common(kafka);
        props.put(ProducerConfig.CLIENT_ID_CONFIG, "dualsync-sync-log-" + ProcessHandle.current().pid());
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        producer = new KafkaProducer<>(props);
        flusher = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "dualsync-sync-log");
            t.setDaemon(true);
            return t;
        });
        flusher.scheduleWithFixedDelay(() -> publish(minutes.drainEndedMinutes()),
                FLUSH_INTERVAL.toMillis(), FLUSH_INTERVAL.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Publishes the minutes that are over now (besides the periodic flush); for tests and shutdown. */
    public void flush() {
        publish(minutes.drainEndedMinutes());
    }

    /** Publishes everything counted so far, the current minute included, and stops. */
    @Override
    public synchronized void close() {
        if (producer == null) {
            return;
        }
        flusher.shutdown();
        try {
            flusher.awaitTermination(SEND_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        publish(minutes.drainAll());
        synchronized (unsent) {
            if (!unsent.isEmpty()) {
                LOG.warn("{} sync-log entries could not be published before shutdown", unsent.size());
            }
        }
        producer.close(SEND_TIMEOUT);
        producer = null;
    }

    private void publish(List<SyncLogEntry> entries) {
        if (producer == null) {
            return;
        }
        synchronized (unsent) {
            unsent.addAll(entries);
            if (unsent.isEmpty()) {
                return;
            }
            List<Future<RecordMetadata>> sends = new ArrayList<>();
            for (SyncLogEntry e : unsent) {
                sends.add(producer.send(new ProducerRecord<>(SyncLogTopic.NAME, SyncLogEntry.keyBytes(e.key()), e.toJson())));
            }
            List<SyncLogEntry> failed = new ArrayList<>();
            for (int i = 0; i < sends.size(); i++) {
                try {
                    sends.get(i).get(SEND_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
                } catch (ExecutionException | TimeoutException e) {
                    failed.add(unsent.get(i));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    failed.add(unsent.get(i));
                }
            }
            if (!failed.isEmpty()) {
                LOG.warn("{} of {} sync-log entries not published yet; retrying with the next flush", failed.size(), unsent.size());
            }
            unsent.clear();
            unsent.addAll(failed);
        }
    }

    private static String instanceName() {
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            host = "unknown-host";
        }
        return host + "/" + ProcessHandle.current().pid();
    }
}
