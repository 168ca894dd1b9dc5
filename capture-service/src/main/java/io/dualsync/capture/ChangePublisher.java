package io.dualsync.capture;

import io.debezium.embedded.EmbeddedEngineChangeEvent;
import io.debezium.engine.ChangeEvent;
import io.debezium.engine.DebeziumEngine;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.connect.source.SourceRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
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
 * again on restart. Which events are published, and with which headers, {@link RawRecordTagger}
 * decides (the rule Kafka Connect mode applies too); the others are marked processed all the same.
 * Counts per topic go to the meter registry; row values are never logged.
 */
public final class ChangePublisher implements DebeziumEngine.ChangeConsumer<ChangeEvent<byte[], byte[]>> {

    /** Counter of published change events, tagged {@code endpoint}, {@code topic}, {@code origin}. */
    public static final String EVENTS_METER = "dualsync.capture.events";

    /** Counter of apply-checkpoint changes seen, each the start of a dualsync transaction; tagged {@code endpoint}. */
    public static final String MARKERS_METER = "dualsync.capture.markers";

    private static final Logger log = LoggerFactory.getLogger(ChangePublisher.class);

    private final String endpoint;
    private final Producer<byte[], byte[]> producer;
    private final RawRecordTagger tagger;
    private final MeterRegistry meters;
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
        this(endpoint, producer, new RawRecordTagger(originClassifier, signalTopic), meters);
    }

    /** @param tagger decides which events are published and their headers; one per engine */
    public ChangePublisher(String endpoint, Producer<byte[], byte[]> producer, RawRecordTagger tagger, MeterRegistry meters) {
        this.endpoint = endpoint;
        this.producer = producer;
        this.tagger = tagger;
        this.meters = meters;
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
            RawRecordTagger.Tag tag = tagger.tag(sourceRecord(event));
            openAfter.add(tag.openSyncTransaction().orElse(null));
            if (tag.marker()) {
                markers++;
            }
            if (!tag.publish() || event.value() == null) {
                continue;
            }
            RecordHeaders headers = new RecordHeaders();
            tag.headers().forEach((name, value) -> headers.add(name, value.getBytes(StandardCharsets.UTF_8)));
            ProducerRecord<byte[], byte[]> record = new ProducerRecord<>(
                    event.destination(), event.partition(), event.key(), event.value(), headers);
            sends.add(new PendingSend(event.destination(), tag.origin(), producer.send(record)));
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

    /**
     * The connector's structured record behind an event; an event of another engine carries only
     * its destination and converted key and value, which is all a record without a source block gives.
     */
    private static SourceRecord sourceRecord(ChangeEvent<byte[], byte[]> event) {
        if (event instanceof EmbeddedEngineChangeEvent<?, ?, ?> e && e.sourceRecord() != null) {
            return e.sourceRecord();
        }
        return new SourceRecord(null, null, event.destination(), null, null, event.key(), null, event.value());
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
