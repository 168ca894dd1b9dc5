package io.dualsync.capture;

import io.dualsync.contract.Headers;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.source.SourceRecord;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class TransactionMarkerTest {

    private static final String CHECKPOINT = "dualsync.raw.crm.dualsync.apply_checkpoint";
    private static final String ACCOUNT = "dualsync.raw.crm.public.account";
    private static final Schema SOURCE = SchemaBuilder.struct().field("txId", Schema.OPTIONAL_INT64_SCHEMA).build();
    private static final Schema ENVELOPE = SchemaBuilder.struct().field("op", Schema.STRING_SCHEMA).field("source", SOURCE).build();

    private final TransactionMarker marker = new TransactionMarker(CHECKPOINT);

    @Test
    void shouldMarkEveryEventOfTheTransactionThatChangedTheCheckpoint() {
        assertThat(origin(event(CHECKPOINT, "u", 7))).isEqualTo(Headers.ORIGIN_SYNC);
        assertThat(origin(event(ACCOUNT, "u", 7))).isEqualTo(Headers.ORIGIN_SYNC);
        assertThat(origin(event(ACCOUNT, "c", 7))).isEqualTo(Headers.ORIGIN_SYNC);
    }

    @Test
    void shouldKeepMarkingAcrossBatchesUntilAnotherTransactionStarts() {
        origin(event(CHECKPOINT, "c", 7));
        assertThat(origin(event(ACCOUNT, "u", 7))).isEqualTo(Headers.ORIGIN_SYNC);
        // the engine hands the next batch to the same classifier
        assertThat(origin(event(ACCOUNT, "u", 7))).isEqualTo(Headers.ORIGIN_SYNC);
        assertThat(origin(event(ACCOUNT, "u", 8))).isEqualTo(Headers.ORIGIN_APP);
        assertThat(origin(event(ACCOUNT, "u", 7))).isEqualTo(Headers.ORIGIN_APP);
    }

    @Test
    void shouldLeaveUserTransactionsUnmarked() {
        assertThat(origin(event(ACCOUNT, "c", 3))).isEqualTo(Headers.ORIGIN_APP);
    }

    @Test
    void shouldNeverMarkSnapshotReadsThatShareTheSnapshotTransaction() {
        origin(event(CHECKPOINT, "r", 5));
        assertThat(origin(event(ACCOUNT, "r", 5))).isEqualTo(Headers.ORIGIN_APP);
    }

    @Test
    void shouldNeverMarkARowReadByAResyncEvenInsideADualsyncTransaction() {
        origin(event(CHECKPOINT, "u", 7));
        // an incremental snapshot's rows may carry the transaction of whatever the engine read last
        assertThat(origin(event(ACCOUNT, "r", 7))).isEqualTo(Headers.ORIGIN_APP);
    }

    @Test
    void shouldTellThePublisherToSkipOnlyCheckpointEvents() {
        assertThat(marker.isMarker(event(CHECKPOINT, "u", 1))).isTrue();
        assertThat(marker.isMarker(event(ACCOUNT, "u", 1))).isFalse();
    }

    private String origin(SourceRecord event) {
        return marker.originOf(event);
    }

    private static SourceRecord event(String topic, String op, long txId) {
        Struct value = new Struct(ENVELOPE).put("op", op).put("source", new Struct(SOURCE).put("txId", txId));
        return new SourceRecord(Map.of(), Map.of(), topic, null, null, null, ENVELOPE, value);
    }
}
