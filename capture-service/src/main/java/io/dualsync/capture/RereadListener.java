package io.dualsync.capture;

import io.dualsync.config.Endpoint;
import io.dualsync.config.KafkaSettings;
import io.dualsync.contract.KafkaClients;
import io.dualsync.contract.RereadRequest;
import io.dualsync.contract.Topics;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.SQLException;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Turns the transform's requests to read rows again ({@link RereadRequest}, topic
 * {@code dualsync.reread.<endpoint>}) into incremental snapshot signals on this capture's endpoint
 * ({@link ResyncSignal}), restricted to the rows whose column holds the requested value: the
 * children of a parent that moved into or out of their filter. Runs on its own thread beside the
 * engine; a request is committed once its signal is in the database, so a crash repeats it at most
 * (reading rows again is harmless: they are compared like any resync read).
 * Values are never logged (the condition is {@link ColumnEquals}).
 */
final class RereadListener implements Runnable, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(RereadListener.class);

    private final Endpoint endpoint;
    private final KafkaSettings kafka;
    private final KafkaConsumer<String, String> consumer;
    private final Thread thread;
    private final java.util.function.Consumer<Throwable> onFailure;
    private volatile boolean closed;

    /** @param onFailure told when the listener stops on an error (the capture then reports it as its failure) */
    RereadListener(KafkaSettings kafka, Endpoint endpoint, java.util.function.Consumer<Throwable> onFailure) {
        this.endpoint = endpoint;
        this.kafka = kafka;
        this.onFailure = onFailure;
        Map<String, Object> props = new HashMap<>(KafkaClients.common(kafka));
        props.put(ConsumerConfig.GROUP_ID_CONFIG, kafka.applicationId() + "-capture-reread-" + endpoint.name());
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        // the transform writes requests in its exactly-once transactions: an aborted one asks nothing
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        this.consumer = new KafkaConsumer<>(props, new StringDeserializer(), new StringDeserializer());
        this.thread = new Thread(this, "dualsync-reread-" + endpoint.name());
        this.thread.setDaemon(true);
    }

    /**
     * Whether rows this endpoint captures may have to be read again when their parent changes: a map's
     * filter tests their parent, or a reference's outcome depends on the parent's scope. Then the
     * transform may ask.
     */
    static boolean needed(io.dualsync.config.SyncConfig config, Endpoint endpoint) {
        return io.dualsync.config.ParentFilter.all(config).stream()
                .anyMatch(f -> f.child().table(f.side()).endpoint().equals(endpoint.name()));
    }

    void start() {
        KafkaClients.ensureTopics(kafka, List.of(Topics.reread(endpoint.name())));
        thread.start();
    }

    @Override
    public void run() {
        try {
            consumer.subscribe(List.of(Topics.reread(endpoint.name())));
            while (!closed) {
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(500))) {
                    signal(record);
                }
                consumer.commitSync();
            }
        } catch (WakeupException e) {
            if (!closed) {
                throw e;
            }
        } catch (RuntimeException e) {
            log.error("endpoint '{}': reading requests to read rows again stopped: {}", endpoint.name(), e.toString());
            // the capture reports it (failure()), so that its process exits and is restarted rather
            // than capturing on while children no longer follow their parents
            onFailure.accept(e);
        } finally {
            consumer.close();
        }
    }

    private void signal(ConsumerRecord<String, String> record) {
        RereadRequest request;
        try {
            request = RereadRequest.fromJson(record.value());
        } catch (IllegalArgumentException e) {
            log.warn("endpoint '{}': {}-{} offset {} is not a request to read rows again; skipped", endpoint.name(),
                    record.topic(), record.partition(), record.offset());
            return;
        }
        ResyncSignal signal = new ResyncSignal(request.table(), Optional.of(ColumnEquals.sql(endpoint.kind(), request.column(), request.value())));
        while (!closed) {
            try {
                String id = signal.send(endpoint);
                log.info("endpoint '{}': rows of {} read again for a parent whose change moved them in or out of scope (signal {}, request {}-{} offset {})",
                        endpoint.name(), request.table().qualifiedName(), id, record.topic(), record.partition(), record.offset());
                return;
            } catch (SQLException e) {
                // the database is down or restarting: the request waits, and so do the ones after it
                log.warn("endpoint '{}': could not signal a read of {} ({}); retrying in 1 s", endpoint.name(),
                        request.table().qualifiedName(), e.getMessage());
                sleep();
            }
        }
    }

    private void sleep() {
        try {
            Thread.sleep(1_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            closed = true;
        }
    }

    @Override
    public void close() {
        closed = true;
        consumer.wakeup();
        try {
            thread.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
