package io.dualsync.capture;

import io.debezium.embedded.EmbeddedEngineChangeEvent;
import io.debezium.embedded.TestChangeEvents;
import io.debezium.engine.ChangeEvent;
import io.debezium.engine.DebeziumEngine;
import io.dualsync.config.KafkaSettings;
import io.dualsync.contract.Headers;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.source.SourceRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

/** The batch handler against a real broker: what reaches the topic, and when the engine may commit. */
@ExtendWith(TestKafka.class)
class ChangePublisherTest {

    private static KafkaSettings kafka;
    private static Admin admin;
    private static Producer<byte[], byte[]> producer;

    @BeforeAll
    static void startBroker() {
        kafka = new KafkaSettings(TestKafka.bootstrapServers(), Map.of(), 1, (short) 1);
        admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrap()));
        producer = CaptureProducer.create(kafka, "crm");
    }

    @AfterAll
    static void closeClients() {
        producer.close();
        admin.close();
    }

    @Test
    void shouldPublishEveryEventInOrderMarkedAsAppChangeBeforeMarkingItProcessed() throws Exception {
        String topic = newTopic(Map.of());
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        List<ChangeEvent<byte[], byte[]>> batch = List.of(event(topic, "k1", "v1"), event(topic, "k2", "v2"),
                event(topic, "k1", "v3"));
        RecordingCommitter committer = new RecordingCommitter(topic);

        new ChangePublisher("crm", producer, OriginClassifier.ALL_APP, meters).handleBatch(batch, committer);

        List<ConsumerRecord<byte[], byte[]>> published = readAll(topic, 3);
        assertThat(published).extracting(r -> text(r.key()), r -> text(r.value()))
                .containsExactly(tuple("k1", "v1"), tuple("k2", "v2"),
                        tuple("k1", "v3"));
        assertThat(published).allSatisfy(r -> assertThat(text(r.headers().lastHeader(Headers.ORIGIN).value())).isEqualTo("app"));
        // when the engine was told an event was processed, all three were already in the topic
        assertThat(committer.endOffsetAtEachMark).containsExactly(3L, 3L, 3L);
        assertThat(committer.processed).containsExactlyElementsOf(batch);
        assertThat(committer.batchFinished).isTrue();
        assertThat(meters.get(ChangePublisher.EVENTS_METER).tag("topic", topic).tag("origin", "app").counter().count())
                .isEqualTo(3.0);
    }

    @Test
    void shouldSkipEventsWithoutAValueButMarkThemProcessed() throws Exception {
        String topic = newTopic(Map.of());
        ChangeEvent<byte[], byte[]> heartbeat = event(topic, "k0", null);
        List<ChangeEvent<byte[], byte[]>> batch = List.of(heartbeat, event(topic, "k1", "v1"));
        RecordingCommitter committer = new RecordingCommitter(topic);

        new ChangePublisher("crm", producer, OriginClassifier.ALL_APP, new SimpleMeterRegistry()).handleBatch(batch, committer);

        assertThat(readAll(topic, 1)).extracting(r -> text(r.key())).containsExactly("k1");
        assertThat(committer.processed).containsExactlyElementsOf(batch);
        assertThat(committer.batchFinished).isTrue();
    }

    @Test
    void shouldNotPublishEventsOfTheSignalingTableButMarkThemProcessed() throws Exception {
        String topic = newTopic(Map.of());
        String signals = "dualsync.raw.crm.dualsync.debezium_signal";
        ChangeEvent<byte[], byte[]> watermark = event(signals, "w1", "window-open");
        List<ChangeEvent<byte[], byte[]>> batch = List.of(watermark, event(topic, "k1", "v1"));
        RecordingCommitter committer = new RecordingCommitter(topic);

        new ChangePublisher("crm", producer, OriginClassifier.ALL_APP, new SimpleMeterRegistry(), signals)
                .handleBatch(batch, committer);

        assertThat(readAll(topic, 1)).extracting(r -> text(r.key())).containsExactly("k1");
        assertThat(committer.processed).containsExactlyElementsOf(batch);
    }

    @Test
    void shouldMarkEachEventWithTheOriginItsClassifierGives() throws Exception {
        String topic = newTopic(Map.of());
        OriginClassifier byKey = r -> text((byte[]) r.key()).startsWith("sync") ? Headers.ORIGIN_SYNC : Headers.ORIGIN_APP;

        new ChangePublisher("crm", producer, byKey, new SimpleMeterRegistry())
                .handleBatch(List.of(event(topic, "sync-1", "v"), event(topic, "user-1", "v")), new RecordingCommitter(topic));

        assertThat(readAll(topic, 2)).extracting(r -> text(r.headers().lastHeader(Headers.ORIGIN).value()))
                .containsExactly("sync", "app");
    }

    @Test
    void shouldThrowAndMarkNothingWhenAChangeIsTooLargeToPublish() {
        // a row of more than 1 MiB (a large text or bytea) exceeds the producer's max.request.size
        String topic = newTopic(Map.of());
        String tooLarge = "personal-data-" + "x".repeat(1_100_000);
        RecordingCommitter committer = new RecordingCommitter(topic);
        ChangePublisher publisher = new ChangePublisher("crm", producer, OriginClassifier.ALL_APP, new SimpleMeterRegistry());

        assertThatThrownBy(() -> publisher.handleBatch(
                List.of(event(topic, "k1", "small"), event(topic, "k2", tooLarge)), committer))
                .isInstanceOf(PublishFailedException.class)
                .hasMessageStartingWith("could not publish a change event to topic " + topic + ": RecordTooLargeException: ")
                .hasMessageNotContaining("personal-data");
        assertThat(committer.processed).isEmpty();
        assertThat(committer.batchFinished).isFalse();
    }

    @Test
    void shouldCommitNoOffsetOfADualsyncTransactionBeforeItsEndHasBeenSeenEvenAcrossBatches() throws Exception {
        // PostgreSQL: the offset of an event inside a transaction makes a restart skip the
        // transaction's events up to its lsn_proc, the checkpoint change among them
        String topic = newTopic(Map.of());
        ChangePublisher publisher = new ChangePublisher("crm", producer, new TransactionMarker(CHECKPOINT),
                new SimpleMeterRegistry());
        RecordingCommitter committer = new RecordingCommitter(topic);
        ChangeEvent<byte[], byte[]> user = pgEvent(topic, 5, 100);
        ChangeEvent<byte[], byte[]> checkpoint = pgEvent(CHECKPOINT, 7, 200);
        ChangeEvent<byte[], byte[]> row1 = pgEvent(topic, 7, 201);
        ChangeEvent<byte[], byte[]> row2 = pgEvent(topic, 7, 202);
        ChangeEvent<byte[], byte[]> row3 = pgEvent(topic, 7, 203);
        ChangeEvent<byte[], byte[]> nextUser = pgEvent(topic, 8, 300);

        publisher.handleBatch(List.of(user, checkpoint, row1, row2), committer);
        publisher.handleBatch(List.of(row3), committer);

        assertThat(readAll(topic, 4)).extracting(r -> text(r.headers().lastHeader(Headers.ORIGIN).value()))
                .containsExactly("app", "sync", "sync", "sync");
        // published and acknowledged, but transaction 7 may still go on: nothing of it is done yet
        assertThat(committer.processed).containsExactly(user);
        assertThat(committer.committableLsnProc()).isEqualTo(100L);

        publisher.handleBatch(List.of(nextUser), committer);

        // transaction 8 began, so 7 is over: all of it is done, in log order
        assertThat(committer.processed).containsExactly(user, checkpoint, row1, row2, row3, nextUser);
        assertThat(committer.committableLsnProc()).isEqualTo(300L);
    }

    @Test
    void shouldCommitADualsyncTransactionAtItsEndRecordAndHoldTheNextOneThatFollowsAtOnce() throws Exception {
        // MariaDB: provide.transaction.metadata gives an END record (no source block) after the last change
        String topic = newTopic(Map.of());
        String transactions = newTopic(Map.of());
        ChangePublisher publisher = new ChangePublisher("erp", producer, new TransactionMarker(CHECKPOINT),
                new SimpleMeterRegistry());
        RecordingCommitter committer = new RecordingCommitter(topic);
        ChangeEvent<byte[], byte[]> checkpoint = binlogEvent(CHECKPOINT, "0-1-7");
        ChangeEvent<byte[], byte[]> row = binlogEvent(topic, "0-1-7");
        ChangeEvent<byte[], byte[]> end = transactionEnd(transactions, "0-1-7");
        ChangeEvent<byte[], byte[]> nextCheckpoint = binlogEvent(CHECKPOINT, "0-1-8");
        ChangeEvent<byte[], byte[]> nextRow = binlogEvent(topic, "0-1-8");

        publisher.handleBatch(List.of(checkpoint, row, end, nextCheckpoint, nextRow), committer);

        assertThat(readAll(topic, 2)).extracting(r -> text(r.headers().lastHeader(Headers.ORIGIN).value()))
                .containsExactly("sync", "sync");
        assertThat(committer.processed).containsExactly(checkpoint, row, end);
    }

    @Test
    void shouldHoldBackAHeartbeatThatComesInsideADualsyncTransaction() throws Exception {
        String topic = newTopic(Map.of());
        ChangePublisher publisher = new ChangePublisher("crm", producer, new TransactionMarker(CHECKPOINT),
                new SimpleMeterRegistry());
        RecordingCommitter committer = new RecordingCommitter(topic);
        ChangeEvent<byte[], byte[]> checkpoint = pgEvent(CHECKPOINT, 7, 200);
        ChangeEvent<byte[], byte[]> heartbeat = event(topic, "hb", null);
        ChangeEvent<byte[], byte[]> next = pgEvent(topic, 8, 300);

        publisher.handleBatch(List.of(checkpoint, heartbeat), committer);
        assertThat(committer.processed).isEmpty();

        publisher.handleBatch(List.of(next), committer);
        assertThat(committer.processed).containsExactly(checkpoint, heartbeat, next);
    }

    private static final String CHECKPOINT = "dualsync.raw.crm.dualsync.apply_checkpoint";
    private static final Schema PG_SOURCE = SchemaBuilder.struct().name("io.debezium.connector.postgresql.Source")
            .field("txId", Schema.OPTIONAL_INT64_SCHEMA).field("lsn", Schema.OPTIONAL_INT64_SCHEMA).build();
    private static final Schema PG_ENVELOPE = SchemaBuilder.struct().field("op", Schema.STRING_SCHEMA)
            .field("source", PG_SOURCE).build();
    private static final Schema BINLOG_SOURCE = SchemaBuilder.struct().name("io.debezium.connector.mariadb.Source")
            .field("gtid", Schema.OPTIONAL_STRING_SCHEMA).build();
    private static final Schema BINLOG_ENVELOPE = SchemaBuilder.struct().field("op", Schema.STRING_SCHEMA)
            .field("source", BINLOG_SOURCE).build();
    private static final Schema TRANSACTION = SchemaBuilder.struct().name("io.debezium.connector.common.TransactionMetadataValue")
            .field("status", Schema.STRING_SCHEMA).field("id", Schema.STRING_SCHEMA).build();

    /** An update as Debezium's PostgreSQL connector emits it: its source offset holds lsn_proc, lsn_commit and txId. */
    private static ChangeEvent<byte[], byte[]> pgEvent(String topic, long txId, long lsn) {
        Struct value = new Struct(PG_ENVELOPE).put("op", "u").put("source", new Struct(PG_SOURCE).put("txId", txId).put("lsn", lsn));
        Map<String, Object> offset = Map.of("lsn", lsn, "lsn_proc", lsn, "lsn_commit", lsn - lsn % 100, "txId", txId);
        return TestChangeEvents.of(new SourceRecord(Map.of("server", "crm"), offset, topic, null, null, null, PG_ENVELOPE, value));
    }

    private static ChangeEvent<byte[], byte[]> binlogEvent(String topic, String gtid) {
        Struct value = new Struct(BINLOG_ENVELOPE).put("op", "u").put("source", new Struct(BINLOG_SOURCE).put("gtid", gtid));
        return TestChangeEvents.of(new SourceRecord(Map.of("server", "erp"), Map.of("event", 1L), topic, null, null, null,
                BINLOG_ENVELOPE, value));
    }

    private static ChangeEvent<byte[], byte[]> transactionEnd(String topic, String gtid) {
        Struct value = new Struct(TRANSACTION).put("status", "END").put("id", gtid);
        return TestChangeEvents.of(new SourceRecord(Map.of("server", "erp"), Map.of("pos", 4L), topic, null, null, null,
                TRANSACTION, value));
    }

    private static String newTopic(Map<String, String> configs) {
        String name = "dualsync.raw.crm.public.t" + UUID.randomUUID().toString().substring(0, 8);
        try {
            admin.createTopics(List.of(new NewTopic(name, 1, (short) 1).configs(configs))).all().get();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        return name;
    }

    private static List<ConsumerRecord<byte[], byte[]>> readAll(String topic, int expected) {
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrap(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.GROUP_ID_CONFIG, "test-" + UUID.randomUUID()),
                new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            consumer.subscribe(List.of(topic));
            List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
            long deadline = System.currentTimeMillis() + 15_000;
            while (records.size() < expected && System.currentTimeMillis() < deadline) {
                consumer.poll(Duration.ofMillis(200)).forEach(records::add);
            }
            // nothing beyond what was expected
            consumer.poll(Duration.ofMillis(300)).forEach(records::add);
            return records;
        }
    }

    private static ChangeEvent<byte[], byte[]> event(String topic, String key, String value) {
        return new TestEvent(topic, key.getBytes(StandardCharsets.UTF_8),
                value == null ? null : value.getBytes(StandardCharsets.UTF_8));
    }

    private static String text(byte[] bytes) {
        return new String(bytes, StandardCharsets.UTF_8);
    }

    private record TestEvent(String destination, byte[] key, byte[] value) implements ChangeEvent<byte[], byte[]> {
        @Override
        public Integer partition() {
            return null;
        }
    }

    /** Stands in for the engine's committer: records what it is told, and what the topic held at each mark. */
    private static final class RecordingCommitter implements DebeziumEngine.RecordCommitter<ChangeEvent<byte[], byte[]>> {
        private final String topic;
        final List<ChangeEvent<byte[], byte[]>> processed = new ArrayList<>();
        final List<Long> endOffsetAtEachMark = new ArrayList<>();
        boolean batchFinished;

        RecordingCommitter(String topic) {
            this.topic = topic;
        }

        @Override
        public void markProcessed(ChangeEvent<byte[], byte[]> record) {
            processed.add(record);
            if (record.value() != null) {
                endOffsetAtEachMark.add(endOffset());
            }
        }

        private long endOffset() {
            TopicPartition tp = new TopicPartition(topic, 0);
            try {
                return admin.listOffsets(Map.of(tp, OffsetSpec.latest())).partitionResult(tp).get().offset();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }

        @Override
        public void markBatchFinished() {
            batchFinished = true;
        }

        /** The lsn_proc of the last event marked processed: where a restart would resume. */
        Long committableLsnProc() {
            ChangeEvent<byte[], byte[]> last = processed.get(processed.size() - 1);
            return (Long) ((EmbeddedEngineChangeEvent<?, ?, ?>) last).sourceRecord().sourceOffset().get("lsn_proc");
        }

        @Override
        public void markProcessed(ChangeEvent<byte[], byte[]> record, DebeziumEngine.Offsets offsets) {
            markProcessed(record);
        }

        @Override
        public DebeziumEngine.Offsets buildOffsets() {
            throw new UnsupportedOperationException("not used by the publisher");
        }
    }
}
