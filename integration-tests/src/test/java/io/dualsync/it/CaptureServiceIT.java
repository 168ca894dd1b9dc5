package io.dualsync.it;

import io.apicurio.registry.serde.avro.AvroKafkaDeserializer;
import io.dualsync.capture.CaptureOptions;
import io.dualsync.capture.CaptureService;
import io.dualsync.config.CompanyFilter;
import io.dualsync.config.ConflictPolicy;
import io.dualsync.config.DeletePolicy;
import io.dualsync.config.Direction;
import io.dualsync.config.Endpoint;
import io.dualsync.config.EndpointKind;
import io.dualsync.config.KafkaSettings;
import io.dualsync.config.KeyField;
import io.dualsync.config.RegistrySettings;
import io.dualsync.config.RowFilter;
import io.dualsync.config.SyncConfig;
import io.dualsync.config.TableMap;
import io.dualsync.config.TableRef;
import io.dualsync.contract.Headers;
import io.dualsync.contract.RegistrySerdeSettings;
import io.dualsync.contract.Topics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

/**
 * capture-service end to end: a real PostgreSQL, broker and Apicurio Registry; the raw topic
 * read back with Apicurio's own Avro deserializer, as transform-streams reads it. Each test has
 * its own database, endpoint, slot and topics, and drops its slot at the end.
 */
class CaptureServiceIT {

    private static final CaptureOptions OPTIONS = CaptureOptions.defaults()
            .withPollInterval(Duration.ofMillis(20)).withMeters(new SimpleMeterRegistry());
    private static final Duration WAIT = Duration.ofSeconds(30);

    private static final String EMOJI_TEXT = "Grüße 👋🏽 aus 東京 — ℮";
    private static final String TABLE = "CREATE TABLE account (id int PRIMARY KEY, amount numeric(38,10) NOT NULL,"
            + " changed_at timestamptz NOT NULL, note text)";
    private static final String[] THREE_ROWS = {
            "INSERT INTO account VALUES (1, 1234567890123456789012345678.1234567891, '2024-02-29 23:59:59.999999+00', '"
                    + EMOJI_TEXT + "')",
            "INSERT INTO account VALUES (2, -0.0000000001, '1970-01-01 00:00:00+00', '')",
            "INSERT INTO account VALUES (3, 12.34, '2024-06-30 12:00:00.5+02', NULL)"};

    @Test
    void shouldSnapshotExistingRowsWithExactValuesMarkedAsAppChanges() throws Exception {
        Fixture f = new Fixture("snap");
        f.sql(TABLE);
        f.sql(THREE_ROWS);

        try (CaptureService capture = f.startCapture()) {
            List<ConsumerRecord<GenericRecord, GenericRecord>> records = f.read(3, Duration.ofMillis(500));

            assertThat(records).extracting(r -> op(r), r -> r.key().get("id"))
                    .containsExactly(tuple("r", 1), tuple("r", 2), tuple("r", 3));
            assertThat(records).allSatisfy(r ->
                    assertThat(header(r, Headers.ORIGIN)).isEqualTo(Headers.ORIGIN_APP));

            GenericRecord first = after(records.get(0));
            assertThat(first.get("amount").toString()).isEqualTo("1234567890123456789012345678.1234567891");
            assertThat(first.get("changed_at").toString()).isEqualTo("2024-02-29T23:59:59.999999Z");
            assertThat(first.get("note").toString()).isEqualTo(EMOJI_TEXT);

            GenericRecord second = after(records.get(1));
            assertThat(second.get("amount").toString()).isEqualTo("-0.0000000001");
            assertThat(Instant.parse(second.get("changed_at").toString())).isEqualTo(Instant.EPOCH);
            assertThat(second.get("note").toString()).isEmpty();

            GenericRecord third = after(records.get(2));
            assertThat(third.get("amount").toString()).isEqualTo("12.3400000000");
            assertThat(Instant.parse(third.get("changed_at").toString())).isEqualTo(Instant.parse("2024-06-30T10:00:00.5Z"));
            assertThat(third.get("note")).isNull();
            assertThat(capture.isRunning()).isTrue();
        } finally {
            f.dropSlot();
        }
    }

    @Test
    void shouldStreamInsertUpdateAndDeleteInCommitOrder() throws Exception {
        Fixture f = new Fixture("live");
        f.sql(TABLE);
        f.sql(THREE_ROWS);

        try (CaptureService capture = f.startCapture()) {
            f.read(3, Duration.ZERO);
            f.sql("INSERT INTO account VALUES (4, 0.5, '2025-01-01 00:00:00+00', 'new')",
                    "UPDATE account SET note = 'changed 🙂', amount = 99999999999999999999999999.9999999999 WHERE id = 1",
                    "DELETE FROM account WHERE id = 2");

            List<ConsumerRecord<GenericRecord, GenericRecord>> all = f.read(6, Duration.ofMillis(500));
            assertThat(all).hasSize(6);
            List<ConsumerRecord<GenericRecord, GenericRecord>> records = all.subList(3, 6);

            assertThat(records).extracting(r -> op(r), r -> r.key().get("id"))
                    .containsExactly(tuple("c", 4), tuple("u", 1), tuple("d", 2));
            assertThat(after(records.get(0)).get("amount").toString()).isEqualTo("0.5000000000");
            assertThat(after(records.get(1)).get("note").toString()).isEqualTo("changed 🙂");
            assertThat(after(records.get(1)).get("amount").toString()).isEqualTo("99999999999999999999999999.9999999999");
            assertThat(records.get(2).value().get("after")).isNull();
            // default REPLICA IDENTITY: a delete carries the key columns only
            assertThat(((GenericRecord) records.get(2).value().get("before")).get("id")).isEqualTo(2);
            assertThat(records).allSatisfy(r -> assertThat(header(r, Headers.ORIGIN)).isEqualTo(Headers.ORIGIN_APP));
        } finally {
            f.dropSlot();
        }
    }

    @Test
    void shouldResumeAfterARestartWithoutLosingOrRepeatingAChange() throws Exception {
        Fixture f = new Fixture("restart");
        f.sql(TABLE);
        f.sql(THREE_ROWS);

        try (CaptureService first = f.startCapture()) {
            f.read(3, Duration.ZERO);
        }
        f.sql("INSERT INTO account VALUES (5, 5, '2025-05-05 05:05:05+00', 'while stopped')");

        try (CaptureService second = f.startCapture()) {
            // read on for a while after the expected four: a repeat or a second snapshot would show up
            List<ConsumerRecord<GenericRecord, GenericRecord>> records = f.read(4, Duration.ofSeconds(3));

            assertThat(records).extracting(r -> op(r), r -> r.key().get("id"))
                    .containsExactly(tuple("r", 1), tuple("r", 2), tuple("r", 3), tuple("c", 5));
            assertThat(after(records.get(3)).get("note").toString()).isEqualTo("while stopped");
        } finally {
            f.dropSlot();
        }
    }

    @Test
    void shouldMarkEveryChangeOfADualsyncTransactionSyncWhenCaptureRestartsWhilePublishingIt() throws Exception {
        Fixture f = new Fixture("marker", true); // a map writes into this endpoint: its apply checkpoint is captured
        f.sql(TABLE);
        int rows = 2_000;
        long beforeRestart;
        try (CaptureService first = f.startCapture()) {
            f.sql("INSERT INTO dualsync.apply_checkpoint VALUES ('worker-1', 0, NULL, now())");
            // what apply does: the checkpoint row first, then the rows, in one transaction
            f.transaction("UPDATE dualsync.apply_checkpoint SET batches = batches + 1, updated_at = now()",
                    "INSERT INTO account SELECT i, i, now(), NULL FROM generate_series(1, " + rows + ") i");
            f.read(1, Duration.ZERO); // stopped as soon as the transaction is being published
        }
        beforeRestart = f.endOffset();

        try (CaptureService second = f.startCapture()) {
            List<ConsumerRecord<GenericRecord, GenericRecord>> records = f.read((int) beforeRestart + rows, Duration.ofSeconds(3));

            assertThat(records.subList(0, (int) beforeRestart)).allSatisfy(r ->
                    assertThat(header(r, Headers.ORIGIN)).isEqualTo(Headers.ORIGIN_SYNC));
            // the offset was never committed inside the transaction: after the restart it is
            // captured again from its checkpoint change, every row of it, all marked sync
            List<ConsumerRecord<GenericRecord, GenericRecord>> afterRestart = records.subList((int) beforeRestart, records.size());
            assertThat(afterRestart).hasSize(rows);
            assertThat(afterRestart).allSatisfy(r ->
                    assertThat(header(r, Headers.ORIGIN)).as("origin of row %s", r.key().get("id")).isEqualTo(Headers.ORIGIN_SYNC));
            assertThat(afterRestart.stream().map(r -> (Integer) r.key().get("id")).distinct().count()).isEqualTo(rows);
        } finally {
            f.dropSlot();
        }
    }

    private static String op(ConsumerRecord<GenericRecord, GenericRecord> r) {
        return r.value().get("op").toString();
    }

    private static GenericRecord after(ConsumerRecord<GenericRecord, GenericRecord> r) {
        return (GenericRecord) r.value().get("after");
    }

    private static String header(ConsumerRecord<?, ?> r, String name) {
        return new String(r.headers().lastHeader(name).value(), StandardCharsets.UTF_8);
    }

    /** One test's database, endpoint and config: {@code public.account} on endpoint {@code <name>}. */
    private static final class Fixture {
        final String endpointName;
        final String jdbcUrl;
        final SyncConfig config;
        final TableRef table;

        Fixture(String prefix) {
            this(prefix, false);
        }

        /** @param syncWritesHere whether the map writes into this endpoint (and capture reads its apply checkpoint) */
        Fixture(String prefix, boolean syncWritesHere) {
            endpointName = prefix + UUID.randomUUID().toString().substring(0, 6);
            jdbcUrl = SharedInfrastructure.get().postgres().createDatabase(endpointName);
            table = new TableRef(endpointName, "public", "account");
            Endpoint endpoint = new Endpoint(endpointName, EndpointKind.POSTGRES, jdbcUrl, "postgres", null,
                    "dualsync_" + endpointName, "dualsync_" + endpointName, Optional.empty(), "UTC");
            Endpoint other = new Endpoint("other", EndpointKind.POSTGRES, "jdbc:postgresql://localhost:1/other", "postgres",
                    null, "dualsync_other", "dualsync_other", Optional.empty(), "UTC");
            TableRef otherTable = new TableRef("other", "public", "account");
            TableMap map = new TableMap("accounts", syncWritesHere ? otherTable : table, syncWritesHere ? table : otherTable,
                    Direction.A_TO_B,
                    List.of(new KeyField("id", "id")), List.of(), RowFilter.ALL, RowFilter.ALL, CompanyFilter.NONE,
                    ConflictPolicy.FAIL, DeletePolicy.DELETE);
            config = new SyncConfig(Path.of("capture-it.yaml"),
                    new KafkaSettings(SharedInfrastructure.get().kafka().bootstrapServers(), Map.of(), 1, (short) 1),
                    new RegistrySettings(SharedInfrastructure.get().registry().url()),
                    Map.of(endpointName, endpoint, "other", other), List.of(map));
        }

        CaptureService startCapture() throws Exception {
            CaptureService capture = new CaptureService(config, endpointName, OPTIONS);
            capture.start();
            capture.awaitStarted(WAIT);
            return capture;
        }

        void sql(String... statements) throws SQLException {
            try (Connection c = DriverManager.getConnection(jdbcUrl, "postgres", null); Statement s = c.createStatement()) {
                for (String statement : statements) {
                    s.execute(statement);
                }
            }
        }

        /** Runs the statements in one transaction. */
        void transaction(String... statements) throws SQLException {
            try (Connection c = DriverManager.getConnection(jdbcUrl, "postgres", null); Statement s = c.createStatement()) {
                c.setAutoCommit(false);
                for (String statement : statements) {
                    s.execute(statement);
                }
                c.commit();
            }
        }

        /** How many records the raw topic holds (one partition). */
        long endOffset() {
            Map<String, Object> props = new HashMap<>();
            props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, config.kafka().bootstrap());
            try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(props,
                    new org.apache.kafka.common.serialization.ByteArrayDeserializer(),
                    new org.apache.kafka.common.serialization.ByteArrayDeserializer())) {
                TopicPartition partition = new TopicPartition(Topics.raw(table), 0);
                return consumer.endOffsets(List.of(partition)).get(partition);
            }
        }

        /**
         * Every record of the raw topic from the beginning, read until {@code expected} are there
         * and then for {@code linger} more, so that a surplus record (a repeat) shows up too.
         */
        List<ConsumerRecord<GenericRecord, GenericRecord>> read(int expected, Duration linger) {
            Map<String, Object> props = new HashMap<>(RegistrySerdeSettings.of(config.registry()));
            props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, config.kafka().bootstrap());
            props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, AvroKafkaDeserializer.class);
            props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, AvroKafkaDeserializer.class);
            try (KafkaConsumer<GenericRecord, GenericRecord> consumer = new KafkaConsumer<>(props)) {
                List<TopicPartition> partitions = consumer.partitionsFor(Topics.raw(table)).stream()
                        .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
                consumer.assign(partitions);
                consumer.seekToBeginning(partitions);
                List<ConsumerRecord<GenericRecord, GenericRecord>> records = new ArrayList<>();
                long deadline = System.nanoTime() + WAIT.toNanos();
                while (records.size() < expected && System.nanoTime() < deadline) {
                    consumer.poll(Duration.ofMillis(100)).forEach(records::add);
                }
                long lingerUntil = System.nanoTime() + linger.toNanos();
                while (System.nanoTime() < lingerUntil) {
                    consumer.poll(Duration.ofMillis(100)).forEach(records::add);
                }
                assertThat(records).as("records on " + Topics.raw(table)).hasSizeGreaterThanOrEqualTo(expected);
                return records;
            }
        }

        void dropSlot() {
            CaptureService.dropSlotAndPublication(config.endpoint(endpointName));
        }
    }
}
