package io.dualsync.capture;

import io.dualsync.contract.Headers;
import org.apache.kafka.connect.source.SourceRecord;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Decides, for each structured change record a Debezium connector emits, whether it goes to its raw
 * topic and with which headers: the one rule behind both capture modes, the embedded engine's
 * {@link ChangePublisher} and Kafka Connect's {@link OriginTagging} transform, so a raw record is
 * the same whichever mode wrote it. Not published: records without a value (tombstones,
 * heartbeats), events of the signaling table (resync requests and snapshot watermarks, Debezium's
 * business only) and apply-checkpoint changes (markers, design.md "Loop suppression"). Published
 * records carry exactly {@link Headers#ORIGIN} and, for a row an incremental snapshot read without
 * a log position, {@link Headers#READ_POSITION} ({@link ReadPositions}).
 *
 * <p>Stateful (the classifier and the read positions follow the log): one instance per connector
 * task, fed every record in log order.
 */
public final class RawRecordTagger {

    private final OriginClassifier classifier;
    private final String signalTopic;
    private final ReadPositions readPositions = new ReadPositions();

    /**
     * @param signalTopic the topic Debezium gives the endpoint's signaling table; null: none
     */
    RawRecordTagger(OriginClassifier classifier, String signalTopic) {
        this.classifier = classifier;
        this.signalTopic = signalTopic;
    }

    /**
     * The tagger of an endpoint: it marks dualsync's transactions when {@code checkpointTopic} is
     * given (some map writes to the endpoint, so apply changes its checkpoint there), else every
     * change is the application's.
     *
     * @param checkpointTopic the topic Debezium gives the endpoint's apply checkpoint table; null: none
     * @param signalTopic     the topic Debezium gives its signaling table; null: none
     */
    public static RawRecordTagger of(String checkpointTopic, String signalTopic) {
        return new RawRecordTagger(checkpointTopic == null ? OriginClassifier.ALL_APP : new TransactionMarker(checkpointTopic),
                signalTopic);
    }

    /** Takes the next record in log order. */
    public Tag tag(SourceRecord record) {
        if (record.value() == null) {
            return new Tag(false, false, null, OptionalLong.empty(), classifier.openSyncTransaction());
        }
        String origin = classifier.originOf(record); // asked for every record: it follows transactions
        Optional<String> open = classifier.openSyncTransaction();
        OptionalLong readPosition = readPositions.positionFor(record); // likewise: it follows the log
        if (signalTopic != null && signalTopic.equals(record.topic())) {
            return new Tag(false, false, origin, readPosition, open);
        }
        boolean marker = classifier.isMarker(record);
        return new Tag(!marker, marker, origin, readPosition, open);
    }

    /**
     * What to do with one record.
     *
     * @param publish             whether it goes to its raw topic
     * @param marker              whether it is an apply-checkpoint change (not published)
     * @param origin              {@link Headers#ORIGIN_APP} or {@link Headers#ORIGIN_SYNC}; null for a record without value
     * @param readPosition        the position of an incremental read that has none
     * @param openSyncTransaction the dualsync transaction open after this record ({@link CommitGate})
     */
    public record Tag(boolean publish, boolean marker, String origin, OptionalLong readPosition,
                      Optional<String> openSyncTransaction) {

        /** The headers of the published record, name to UTF-8 text, in this order. */
        public Map<String, String> headers() {
            Map<String, String> headers = new LinkedHashMap<>();
            headers.put(Headers.ORIGIN, origin);
            readPosition.ifPresent(position -> headers.put(Headers.READ_POSITION, Long.toString(position)));
            return headers;
        }
    }
}
