package io.dualsync.transform;

import io.dualsync.catalog.Column;
import io.dualsync.catalog.TableSchema;
import io.dualsync.contract.Headers;
import io.dualsync.contract.Topics;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.streams.test.TestRecord;

import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Builds raw Debezium change events (key record of the primary key; envelope with before, after,
 * source{ts_ms, ts_us, txId, lsn, snapshot}, op, ts_ms) for one source table, encoded the way
 * the capture service's connector settings encode them (brief, "Raw topics"), and serialized
 * with the test registry. Rows are given as canonical Java values by column name; each event
 * gets the next LSN and transaction id.
 */
final class DebeziumEvents {

    /** A raw record and the topic it belongs to. */
    record RawEvent(String topic, TestRecord<byte[], byte[]> record) {

        /** The same event marked as written by dualsync itself. */
        RawEvent madeBySync() {
            RecordHeaders headers = new RecordHeaders();
            headers.add(Headers.ORIGIN, Headers.ORIGIN_SYNC.getBytes(StandardCharsets.UTF_8));
            return new RawEvent(topic, new TestRecord<>(record.key(), record.value(), headers, record.timestamp()));
        }
    }

    static final Instant COMMIT_TIME = Instant.parse("2024-05-01T10:15:30.123456Z");

    private final TableSchema table;
    private final Serializer<GenericRecord> serializer;
    private final Schema keySchema;
    private final Schema rowSchema;
    private final Schema envelopeSchema;
    private Instant commitTime = COMMIT_TIME;
    private long lsn = 1_000;
    private long txId = 500;

    DebeziumEvents(TableSchema table, InMemoryAvroSerdes serdes) {
        this.table = table;
        this.serializer = serdes.serializer();
        String base = table.ref().endpoint() + "." + table.ref().schema() + "." + table.ref().table();
        this.keySchema = rowSchema(base, "Key", table.primaryKey().stream().map(table::requireColumn).toList(), false);
        this.rowSchema = rowSchema(base, "Value", table.columns(), true);
        this.envelopeSchema = SchemaBuilder.record("Envelope").namespace(base).fields()
                .name("before").type(nullable(rowSchema)).withDefault(null)
                .name("after").type(nullable(rowSchema)).withDefault(null)
                .name("source").type(sourceSchema()).noDefault()
                .requiredString("op")
                .optionalLong("ts_ms")
                .endRecord();
    }

    String topic() {
        return Topics.raw(table.ref());
    }

    /** Events made from now on carry this source commit time. */
    DebeziumEvents committedAt(Instant time) {
        this.commitTime = time;
        return this;
    }

    RawEvent insert(Map<String, ?> row) {
        return event("c", null, row, "false");
    }

    RawEvent snapshot(Map<String, ?> row) {
        return event("r", null, row, "true");
    }

    /** A row read by an incremental snapshot, as a resync asks for. */
    RawEvent resyncRead(Map<String, ?> row) {
        return event("r", null, row, "incremental");
    }

    RawEvent update(Map<String, ?> before, Map<String, ?> after) {
        return event("u", before, after, "false");
    }

    /** A delete as PostgreSQL's default replica identity sends it: only the key columns in {@code before}. */
    RawEvent delete(Map<String, ?> keyOnly) {
        return event("d", keyOnly, null, "false");
    }

    /** An envelope with the given bytes as value, e.g. unreadable ones. */
    RawEvent withValue(RawEvent event, byte[] value) {
        return new RawEvent(event.topic(), new TestRecord<>(event.record().key(), value, event.record().headers(),
                event.record().timestamp()));
    }

    private RawEvent event(String op, Map<String, ?> before, Map<String, ?> after, String snapshot) {
        Map<String, ?> keySource = after != null ? after : before;
        GenericRecord key = new GenericData.Record(keySchema);
        for (Schema.Field f : keySchema.getFields()) {
            key.put(f.name(), datum(table.requireColumn(f.name()), keySource.get(f.name())));
        }
        GenericRecord envelope = new GenericData.Record(envelopeSchema);
        envelope.put("before", image(before));
        envelope.put("after", image(after));
        envelope.put("source", source(snapshot));
        envelope.put("op", op);
        envelope.put("ts_ms", COMMIT_TIME.toEpochMilli() + 5);
        RecordHeaders headers = new RecordHeaders();
        headers.add(Headers.ORIGIN, Headers.ORIGIN_APP.getBytes(StandardCharsets.UTF_8));
        return new RawEvent(topic(), new TestRecord<>(serializer.serialize(topic(), key),
                serializer.serialize(topic(), envelope), headers, COMMIT_TIME));
    }

    /** The LSN the next event will carry. */
    long nextLsn() {
        return lsn + 1;
    }

    /** The transaction id the next event will carry. */
    long nextTxId() {
        return txId + 1;
    }

    private GenericRecord image(Map<String, ?> row) {
        if (row == null) {
            return null;
        }
        GenericRecord image = new GenericData.Record(rowSchema);
        for (Column column : table.columns()) {
            image.put(column.name(), datum(column, row.get(column.name())));
        }
        return image;
    }

    private GenericRecord source(String snapshot) {
        Schema schema = envelopeSchema.getField("source").schema();
        GenericRecord source = new GenericData.Record(schema);
        source.put("version", "3.5.0.Final");
        source.put("connector", "postgresql");
        source.put("name", Topics.rawPrefix(table.ref().endpoint()));
        source.put("ts_ms", commitTime.toEpochMilli());
        source.put("ts_us", ChronoUnit.MICROS.between(Instant.EPOCH, commitTime));
        source.put("snapshot", snapshot);
        source.put("db", table.ref().endpoint());
        source.put("schema", table.ref().schema());
        source.put("table", table.ref().table());
        source.put("txId", ++txId);
        source.put("lsn", ++lsn);
        return source;
    }

    /** A canonical value as Debezium writes it for the column's type. */
    private static Object datum(Column column, Object value) {
        if (value == null) {
            return null;
        }
        return switch (column.type().kind()) {
            case DECIMAL -> ((BigDecimal) value).toPlainString();
            case DATE -> (int) ((LocalDate) value).toEpochDay();
            case TIME -> ((LocalTime) value).toNanoOfDay() / 1_000L;
            case TIMESTAMP -> ChronoUnit.MICROS.between(Instant.EPOCH, ((LocalDateTime) value).toInstant(ZoneOffset.UTC));
            case TIMESTAMPTZ -> value.toString();
            case UUID -> value.toString();
            case BYTES -> ByteBuffer.wrap((byte[]) value);
            default -> value;
        };
    }

    private static Schema rowSchema(String namespace, String name, List<Column> columns, boolean optional) {
        List<Schema.Field> fields = new ArrayList<>();
        for (Column c : columns) {
            Schema type = debeziumType(c);
            fields.add(optional
                    ? new Schema.Field(c.name(), nullable(type), null, Schema.Field.NULL_DEFAULT_VALUE)
                    : new Schema.Field(c.name(), type));
        }
        return Schema.createRecord(name, null, namespace, false, fields);
    }

    /** The Avro type Debezium's converter gives a column, with its semantic type as {@code connect.name}. */
    private static Schema debeziumType(Column c) {
        return switch (c.type().kind()) {
            case BOOLEAN -> Schema.create(Schema.Type.BOOLEAN);
            case INT16, INT32 -> Schema.create(Schema.Type.INT);
            case INT64 -> Schema.create(Schema.Type.LONG);
            case FLOAT32 -> Schema.create(Schema.Type.FLOAT);
            case FLOAT64 -> Schema.create(Schema.Type.DOUBLE);
            case DECIMAL, STRING -> Schema.create(Schema.Type.STRING);
            case JSON -> named(Schema.Type.STRING, "io.debezium.data.Json");
            case DATE -> named(Schema.Type.INT, "io.debezium.time.Date");
            case TIME -> named(Schema.Type.LONG, "io.debezium.time.MicroTime");
            case TIMESTAMP -> named(Schema.Type.LONG, "io.debezium.time.MicroTimestamp");
            case TIMESTAMPTZ -> named(Schema.Type.STRING, "io.debezium.time.ZonedTimestamp");
            case UUID -> named(Schema.Type.STRING, "io.debezium.data.Uuid");
            case BYTES -> Schema.create(Schema.Type.BYTES);
        };
    }

    static Schema named(Schema.Type type, String connectName) {
        Schema s = Schema.create(type);
        s.addProp("connect.name", connectName);
        return s;
    }

    private static Schema nullable(Schema s) {
        return Schema.createUnion(Schema.create(Schema.Type.NULL), s);
    }

    private static Schema sourceSchema() {
        return SchemaBuilder.record("Source").namespace("io.debezium.connector.postgresql").fields()
                .requiredString("version")
                .requiredString("connector")
                .requiredString("name")
                .requiredLong("ts_ms")
                .optionalString("snapshot")
                .requiredString("db")
                .requiredString("schema")
                .requiredString("table")
                .optionalLong("txId")
                .optionalLong("lsn")
                .optionalLong("ts_us")
                .endRecord();
    }
}
