package io.dualsync.capture;

import io.debezium.engine.ChangeEvent;
import io.debezium.engine.DebeziumEngine;
import io.dualsync.contract.Headers;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;

/**
 * Publishes each batch of Debezium change events to the raw topics, then tells the engine which
 * events are done. Every event of a batch is sent, then every send result is awaited, and only
 * when all succeeded are the events marked processed and the batch finished: an offset is
 * committed only for changes that are in Kafka (style.md, point 5). The events of a dualsync
 * transaction whose end has not been seen yet are marked processed only once it has ended, in a
 * later batch if need be ({@link CommitGate}): a restart then replays the whole transaction, and
 * its events are marked sync again instead of app. A failed send throws
 * {@link PublishFailedException}, which stops the engine; the unacknowledged changes are captured
 * again on restart. Events without a value (heartbeats, tombstones) and events of the signaling
 * table (resync requests, incremental-snapshot watermarks) are not published but are marked processed. Each record carries the header {@link Headers#ORIGIN} from the
 * {@link OriginClassifier}, and a row read by an incremental snapshot without a log position the header
 * {@link Headers#READ_POSITION} ({@link ReadPositions}). Counts per topic go to the meter registry; row values are never logged.
 */
public final class ChangePublisher implements DebeziumEngine.ChangeConsumer<ChangeEvent<byte[], byte[]>> {

    /** Counter of published change events, tagged {@code endpoint}, {@code topic}, {@code origin}. */
    public static final String EVENTS_METER = "dualsync.capture.events";

    /** Counter of apply-checkpoint changes seen, each the start of a dualsync transaction; tagged {@code endpoint}. */
    public static final String MARKERS_METER = "dualsync.capture.markers";

    private static final Logger log = LoggerFactory.getLogger(ChangePublisher.class);

    private final String endpoint;
    private final Producer<byte[], byte[]> producer;
    private final OriginClassifier originClassifier;
    private final MeterRegistry meters;
    private final String signalTopic;
    private final ReadPositions readPositions = new ReadPositions();
    private final CommitGate commitGate = new CommitGate();

    /**
     * @param endpoint         the captured endpoint, for metrics and messages
     * @param producer         an idempotent producer with {@code acks=all} ({@link CaptureProducer})
     * @param originClassifier decides the origin header of each event
     * @param meters           where the event counters go
     */
    public ChangePublisher(String endpoint, Producer<byte[], byte[]> producer, OriginClassifier originClassifier,
                           MeterRegistry meters) {
        this(endpoint, producer, originClassifier, meters, null);
    }

    /**
     * @param signalTopic the Debezium destination of the endpoint's signaling table, whose events
     *                    (resync requests, snapshot watermarks) are Debezium's business only and
     *                    are never published; null: none
     */
    public ChangePublisher(String endpoint, Producer<byte[], byte[]> producer, OriginClassifier originClassifier,
                           MeterRegistry meters, String signalTopic) {
        this.endpoint = endpoint;
        this.producer = producer;
        this.originClassifier = originClassifier;
        this.meters = meters;
        this.signalTopic = signalTopic;
    }

    @Override
    public void handleBatch(List<ChangeEvent<byte[], byte[]>> events,
                            DebeziumEngine.RecordCommitter<ChangeEvent<byte[], byte[]>> committer)
            throws InterruptedException {
        List<PendingSend> sends = new ArrayList<>(events.size());
        // per event, the dualsync transaction open after it: decides when its offset may be committed
        List<String> openAfter = new ArrayList<>(events.size());
        int markers = 0;
        for (ChangeEvent<byte[], byte[]> event : events) {
            if (event.value() == null) {
                openAfter.add(originClassifier.openSyncTransaction().orElse(null));
                continue; // a heartbeat or tombstone: nothing for the raw topics
            }
            String origin = originClassifier.originOf(event); // asked for every event: it follows transactions
            openAfter.add(originClassifier.openSyncTransaction().orElse(null));
            OptionalLong readPosition = readPositions.positionFor(event); // likewise: it follows the log
            if (signalTopic != null && signalTopic.equals(event.destination())) {
                continue; // a signal or snapshot watermark: Debezium has acted on it already
            }
            if (originClassifier.isMarker(event)) {
                markers++;
                continue; // dualsync's own checkpoint: it only marks the rest of its transaction
            }
            RecordHeaders headers = new RecordHeaders();
            headers.add(Headers.ORIGIN, origin.getBytes(StandardCharsets.UTF_8));
            if (readPosition.isPresent()) {
                headers.add(Headers.READ_POSITION, Long.toString(readPosition.getAsLong()).getBytes(StandardCharsets.UTF_8));
            }
            ProducerRecord<byte[], byte[]> record = new ProducerRecord<>(
                    event.destination(), event.partition(), event.key(), event.value(), headers);
            sends.add(new PendingSend(event.destination(), origin, producer.send(record)));
        }
        producer.flush(); // no need to wait for linger.ms: the whole batch is here

        Map<String, Integer> perTopic = new TreeMap<>();
        for (PendingSend send : sends) {
            send.awaitAcknowledged();
            perTopic.merge(send.topic, 1, Integer::sum);
            Counter.builder(EVENTS_METER).description("change events published to raw topics")
                    .tag("endpoint", endpoint).tag("topic", send.topic).tag("origin", send.origin)
                    .register(meters).increment();
        }

        if (markers > 0) {
            Counter.builder(MARKERS_METER).description("apply-checkpoint changes seen (dualsync transactions)")
                    .tag("endpoint", endpoint).register(meters).increment(markers);
        }
        for (int i = 0; i < events.size(); i++) {
            for (ChangeEvent<byte[], byte[]> done : commitGate.pass(events.get(i), openAfter.get(i))) {
                committer.markProcessed(done);
            }
        }
        committer.markBatchFinished();
        if (log.isDebugEnabled()) {
            log.debug("endpoint '{}': published {} of {} events, per topic {}; {} held back in an open dualsync transaction",
                    endpoint, sends.size(), events.size(), perTopic, commitGate.held());
        }
    }

    private record PendingSend(String topic, String origin, Future<RecordMetadata> result) {

        void awaitAcknowledged() throws InterruptedException {
            try {
                result.get();
            } catch (ExecutionException e) {
                Throwable cause = e.getCause();
                // the cause is a Kafka client error: it names the topic and the failure, no record contents
                throw new PublishFailedException("could not publish a change event to topic " + topic + ": "
                        + cause.getClass().getSimpleName() + ": " + cause.getMessage(), cause);
            }
        }
    }
}
