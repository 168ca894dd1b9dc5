package io.dualsync.capture;

import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.source.SourceRecord;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class ReadPositionsTest {

    private static final String ACCOUNT = "dualsync.raw.crm.public.account";
    private static final String SIGNALS = "dualsync.raw.crm.dualsync.debezium_signal";
    private static final Schema SOURCE = SchemaBuilder.struct().field("lsn", Schema.OPTIONAL_INT64_SCHEMA)
            .field("snapshot", Schema.OPTIONAL_STRING_SCHEMA).build();
    private static final Schema ENVELOPE = SchemaBuilder.struct().field("op", Schema.STRING_SCHEMA).field("source", SOURCE).build();

    private final ReadPositions positions = new ReadPositions();

    @Test
    void shouldGiveAnIncrementalReadWithoutLsnTheLsnOfTheLastEventReadFromTheLog() {
        assertThat(positions.positionFor(event(ACCOUNT, "u", 100L, "false"))).isEmpty();
        assertThat(positions.positionFor(event(SIGNALS, "c", 120L, "false"))).isEmpty(); // the closing watermark

        assertThat(positions.positionFor(event(ACCOUNT, "r", null, "incremental"))).hasValue(120L);
        assertThat(positions.positionFor(event(ACCOUNT, "r", null, "incremental"))).hasValue(120L);
    }

    @Test
    void shouldLeaveEventsWithTheirOwnLsnAlone() {
        positions.positionFor(event(ACCOUNT, "u", 100L, "false"));

        assertThat(positions.positionFor(event(ACCOUNT, "r", 90L, "true"))).isEmpty();
        assertThat(positions.positionFor(event(ACCOUNT, "r", 130L, "incremental"))).isEmpty();
    }

    @Test
    void shouldFallBackOnTheSourceOffsetBeforeAnyEventHadAnLsn() {
        SourceRecord read = new SourceRecord(Map.of(), Map.of("lsn", 77L), ACCOUNT, null,
                null, null, ENVELOPE, value("r", null, "incremental"));

        assertThat(positions.positionFor(read)).hasValue(77L);
    }

    private static SourceRecord event(String topic, String op, Long lsn, String snapshot) {
        return new SourceRecord(Map.of(), Map.of(), topic, null, null, null, ENVELOPE, value(op, lsn, snapshot));
    }

    private static Struct value(String op, Long lsn, String snapshot) {
        return new Struct(ENVELOPE).put("op", op).put("source", new Struct(SOURCE).put("lsn", lsn).put("snapshot", snapshot));
    }
}
