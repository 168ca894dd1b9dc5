package io.dualsync.transform;

import io.dualsync.catalog.Catalog;
import io.dualsync.catalog.TableSchema;
import io.dualsync.config.SyncConfig;
import io.dualsync.config.TableRef;
import io.dualsync.contract.ColumnValues;
import io.dualsync.contract.MappedChange;
import io.dualsync.contract.MappedChangeCodec;
import io.dualsync.contract.Operation;
import io.dualsync.contract.Topics;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.test.TestRecord;

import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs the mapping topology of a {@link Fixture} in a {@link TopologyTestDriver} with the
 * production Streams settings and the in-memory registry; sends raw events and reads what came
 * out, decoded only with the target table from the catalog (not with the topology's own codec),
 * so the tests check the mapped records as a consumer would see them.
 */
final class TransformHarness implements AutoCloseable {

    /** A record of a mapped topic: its key record's columns and its value as a change. */
    record Mapped(Map<String, Object> recordKey, MappedChange change, String arbitratedHash) {
        Operation op() {
            return change.operation();
        }

        Map<String, Object> columns() {
            return change.columns();
        }
    }

    static final Instant WALL_CLOCK = Instant.parse("2024-06-01T08:00:00Z");

    final InMemoryAvroSerdes serdes = new InMemoryAvroSerdes();
    final io.micrometer.core.instrument.simple.SimpleMeterRegistry meters = new io.micrometer.core.instrument.simple.SimpleMeterRegistry();
    private final Catalog catalog;
    private final TopologyTestDriver driver;
    private final Map<String, TestInputTopic<byte[], byte[]>> inputs = new HashMap<>();

    TransformHarness(Fixture fixture, Path stateDir) {
        SyncConfig config = fixture.config();
        this.catalog = fixture.catalog();
        this.driver = new TopologyTestDriver(MappingTopology.build(config, catalog, serdes, meters),
                TransformStreamsConfig.streamsProperties(config, "transform-test", stateDir), WALL_CLOCK);
    }

    DebeziumEvents events(TableRef table) {
        return new DebeziumEvents(catalog.require(table), serdes);
    }

    void send(DebeziumEvents.RawEvent... events) {
        for (DebeziumEvents.RawEvent event : events) {
            inputs.computeIfAbsent(event.topic(),
                            t -> driver.createInputTopic(t, new ByteArraySerializer(), new ByteArraySerializer()))
                    .pipeInput(event.record());
        }
    }

    /** Everything written to the map's mapped topic toward {@code target} since the last call. */
    List<Mapped> mapped(String map, TableRef target) {
        TableSchema table = catalog.require(target);
        return driver.createOutputTopic(Topics.mapped(map, target.endpoint()), new ByteArrayDeserializer(), new ByteArrayDeserializer())
                .readRecordsToList().stream()
                .map(r -> decode(r, table))
                .toList();
    }

    /** The requests to read rows of {@code endpoint} again since the last call. */
    List<io.dualsync.contract.RereadRequest> rereads(String endpoint) {
        return driver.createOutputTopic(Topics.reread(endpoint), new org.apache.kafka.common.serialization.StringDeserializer(),
                        new org.apache.kafka.common.serialization.StringDeserializer())
                .readValuesToList().stream().map(io.dualsync.contract.RereadRequest::fromJson).toList();
    }

    List<TestRecord<byte[], byte[]>> deadLetters(String endpoint) {
        return driver.createOutputTopic(Topics.deadLetter(endpoint), new ByteArrayDeserializer(), new ByteArrayDeserializer())
                .readRecordsToList();
    }

    /** How many changes of {@code map} were not propagated for {@code reason} (e.g. {@code echo}). */
    double suppressed(String map, String reason) {
        return meters.find(Suppressions.METER).tag("map", map).tag("reason", reason).counters().stream()
                .mapToDouble(io.micrometer.core.instrument.Counter::count).sum();
    }

    /** Moves the driver's wall clock on, running what is scheduled (retries of changes waiting for a parent). */
    void advance(java.time.Duration duration) {
        driver.advanceWallClockTime(duration);
    }

    KeyValueStore<String, Link> store(String name) {
        return driver.getKeyValueStore(name);
    }

    private Mapped decode(TestRecord<byte[], byte[]> record, TableSchema target) {
        GenericRecord key = serdes.deserializer().deserialize("", record.key());
        GenericRecord value = serdes.deserializer().deserialize("", record.value());
        GenericRecord columns = (GenericRecord) value.get("columns");
        MappedChange change = new MappedChange(
                Operation.valueOf(value.get("op").toString()),
                value.get("map").toString(),
                value.get("targetTable").toString(),
                value.get("sourceEndpoint").toString(),
                (Long) value.get("sourcePosition"),
                value.get("sourceTxId") == null ? null : value.get("sourceTxId").toString(),
                Instant.EPOCH.plus((Long) value.get("sourceCommitTime"), ChronoUnit.MICROS),
                value.get("companyId") == null ? null : value.get("companyId").toString(),
                columnsOf((GenericRecord) value.get("key"), target),
                columns == null ? Map.of() : columnsOf(columns, target));
        var arbitrated = record.headers().lastHeader(io.dualsync.contract.Headers.ARBITRATED_TARGET_HASH);
        return new Mapped(columnsOf(key, target), change,
                arbitrated == null ? null : new String(arbitrated.value(), java.nio.charset.StandardCharsets.UTF_8));
    }

    private static Map<String, Object> columnsOf(GenericRecord record, TableSchema target) {
        Map<String, Object> values = new LinkedHashMap<>();
        for (Schema.Field field : record.getSchema().getFields()) {
            String column = field.getProp(MappedChangeCodec.COLUMN_PROPERTY);
            values.put(column, ColumnValues.fromAvro(target.requireColumn(column).type(), record.get(field.pos())));
        }
        return values;
    }

    @Override
    public void close() {
        driver.close();
    }
}
