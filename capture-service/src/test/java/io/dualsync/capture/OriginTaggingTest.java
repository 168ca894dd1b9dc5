package io.dualsync.capture;

import io.dualsync.contract.Headers;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.header.ConnectHeaders;
import org.apache.kafka.connect.source.SourceRecord;
import org.apache.kafka.connect.storage.SimpleHeaderConverter;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The Connect transform: the records and headers the embedded publisher writes, from the same structured records. */
class OriginTaggingTest {

    private static final String CHECKPOINT = "dualsync.raw.crm.dualsync.apply_checkpoint";
    private static final String SIGNALS = "dualsync.raw.crm.dualsync.debezium_signal";
    private static final String ACCOUNT = "dualsync.raw.crm.public.account";
    private static final Schema SOURCE = SchemaBuilder.struct().field("txId", Schema.OPTIONAL_INT64_SCHEMA)
            .field("lsn", Schema.OPTIONAL_INT64_SCHEMA).field("snapshot", Schema.OPTIONAL_STRING_SCHEMA).build();
    private static final Schema ENVELOPE = SchemaBuilder.struct().field("op", Schema.STRING_SCHEMA).field("source", SOURCE).build();

    private final OriginTagging transform = configured(Map.of(OriginTagging.CHECKPOINT_TOPIC, CHECKPOINT,
            OriginTagging.SIGNAL_TOPIC, SIGNALS));

    @Test
    void shouldDropTheCheckpointChangeAndTagTheRestOfItsTransactionSync() {
        assertThat(transform.apply(record(ACCOUNT, "u", 6, 100L, "false"))).satisfies(r -> assertThat(origin(r)).isEqualTo("app"));
        assertThat(transform.apply(record(CHECKPOINT, "u", 7, 200L, "false"))).isNull();
        assertThat(origin(transform.apply(record(ACCOUNT, "u", 7, 201L, "false")))).isEqualTo("sync");
        assertThat(origin(transform.apply(record(ACCOUNT, "c", 7, 202L, "false")))).isEqualTo("sync");
        assertThat(origin(transform.apply(record(ACCOUNT, "u", 8, 300L, "false")))).isEqualTo("app");
    }

    @Test
    void shouldDropSignalsAndRecordsWithoutValueButFollowTheLogThroughThem() {
        assertThat(transform.apply(record(SIGNALS, "c", 3, 120L, "false"))).isNull();
        assertThat(transform.apply(new SourceRecord(Map.of(), Map.of(), ACCOUNT, null, null, null, null, null))).isNull();
        // a resync's row without an lsn gets the position of the signal read before it, as in embedded mode
        SourceRecord read = transform.apply(record(ACCOUNT, "r", 3, null, "incremental"));
        assertThat(header(read, Headers.READ_POSITION)).isEqualTo("120");
        assertThat(origin(read)).isEqualTo("app");
    }

    @Test
    void shouldReplaceTheConnectorsHeadersWithExactlyTheDualsyncOnesAndKeepTheRecord() {
        SourceRecord in = record(ACCOUNT, "u", 5, 100L, "false");
        in.headers().addString("__debezium.context.connectorName", "postgresql");

        SourceRecord out = transform.apply(in);

        assertThat(out.headers()).extracting(h -> h.key()).containsExactly(Headers.ORIGIN);
        assertThat(out.topic()).isEqualTo(ACCOUNT);
        assertThat(out.value()).isSameAs(in.value());
        assertThat(out.sourceOffset()).isEqualTo(in.sourceOffset());
    }

    @Test
    void shouldWriteHeaderBytesThatEqualTheEmbeddedPublishersThroughConnectsHeaderConverter() {
        try (SimpleHeaderConverter converter = new SimpleHeaderConverter()) {
            converter.configure(Map.of());
            SourceRecord out = transform.apply(record(ACCOUNT, "u", 5, 100L, "false"));
            var header = out.headers().lastWithName(Headers.ORIGIN);
            byte[] bytes = converter.fromConnectHeader(ACCOUNT, header.key(), header.schema(), header.value());
            assertThat(bytes).isEqualTo("app".getBytes(StandardCharsets.UTF_8));
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void shouldTagEverythingAppWhenNoMapWritesToTheEndpoint() {
        OriginTagging unmarked = configured(Map.of());
        assertThat(origin(unmarked.apply(record(CHECKPOINT, "u", 7, 200L, "false")))).isEqualTo("app");
        assertThat(origin(unmarked.apply(record(ACCOUNT, "u", 7, 201L, "false")))).isEqualTo("app");
    }

    private static OriginTagging configured(Map<String, String> config) {
        OriginTagging t = new OriginTagging();
        t.configure(new HashMap<>(config));
        return t;
    }

    private static SourceRecord record(String topic, String op, long txId, Long lsn, String snapshot) {
        Struct value = new Struct(ENVELOPE).put("op", op)
                .put("source", new Struct(SOURCE).put("txId", txId).put("lsn", lsn).put("snapshot", snapshot));
        return new SourceRecord(Map.of("server", "crm"), Map.of("lsn", lsn == null ? 0L : lsn), topic, null, null, null,
                ENVELOPE, value, 1L, new ConnectHeaders());
    }

    private static String origin(SourceRecord record) {
        return header(record, Headers.ORIGIN);
    }

    private static String header(SourceRecord record, String name) {
        return (String) record.headers().lastWithName(name).value();
    }
}
