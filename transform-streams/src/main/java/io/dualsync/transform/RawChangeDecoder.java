package io.dualsync.transform;

import io.dualsync.catalog.Column;
import io.dualsync.catalog.TableSchema;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Reads a Debezium envelope ({@code before}, {@code after}, {@code source}, {@code op}) of one
 * source table into a {@link RawChange}. Row images are read column by column with the source
 * table's types from the catalog; a column the image does not carry is absent from the map.
 * The position and transaction id come from {@link SourcePosition} (PostgreSQL LSN, MariaDB
 * binlog file and offset), the commit time from {@code source.ts_us} (or {@code source.ts_ms}).
 */
final class RawChangeDecoder {

    /** Debezium's {@code source.snapshot} value for a row read by an incremental snapshot. */
    static final String INCREMENTAL = "incremental";

    private final TableSchema source;

    RawChangeDecoder(TableSchema source) {
        this.source = source;
    }

    RawChange decode(GenericRecord key, GenericRecord envelope) {
        return decode(key, envelope, null);
    }

    /** @param readPosition the position capture stamped on a snapshot read without one ({@link SourcePosition}); null: none */
    RawChange decode(GenericRecord key, GenericRecord envelope, Long readPosition) {
        if (key == null) {
            throw new MappingException("the change event has no key: " + source.ref()
                    + " needs a primary key to be mapped");
        }
        RawChange.Op op = RawChange.Op.of(text(envelope, "op"));
        GenericRecord sourceInfo = (GenericRecord) field(envelope, "source");
        if (sourceInfo == null) {
            throw new MappingException("the change event has no 'source' block");
        }
        SourcePosition position = SourcePosition.of(sourceInfo,
                (GenericRecord) field(envelope, "transaction"), op == RawChange.Op.SNAPSHOT_READ, readPosition);
        return new RawChange(op,
                GenericData.get().toString(key),
                image((GenericRecord) field(envelope, "before")),
                image((GenericRecord) field(envelope, "after")),
                position.position(),
                position.txId(),
                commitTime(sourceInfo),
                op == RawChange.Op.SNAPSHOT_READ && INCREMENTAL.equals(text(sourceInfo, "snapshot")));
    }

    private Map<String, Object> image(GenericRecord row) {
        Map<String, Object> values = new LinkedHashMap<>();
        if (row == null) {
            return values;
        }
        for (Column column : source.columns()) {
            Schema.Field field = row.getSchema().getField(column.name());
            if (field != null) {
                values.put(column.name(), RawValues.decode(column, field.schema(), row.get(field.pos())));
            }
        }
        return values;
    }

    private static Instant commitTime(GenericRecord sourceInfo) {
        Object micros = field(sourceInfo, "ts_us");
        if (micros != null) {
            return Instant.EPOCH.plus(((Number) micros).longValue(), ChronoUnit.MICROS);
        }
        Object millis = field(sourceInfo, "ts_ms");
        if (millis != null) {
            return Instant.ofEpochMilli(((Number) millis).longValue());
        }
        throw new MappingException("the change event's source block has neither 'ts_us' nor 'ts_ms'");
    }

    private static Object field(GenericRecord record, String name) {
        return record.getSchema().getField(name) == null ? null : record.get(name);
    }

    private static String text(GenericRecord record, String name) {
        Object value = field(record, name);
        return value == null ? null : value.toString();
    }
}
