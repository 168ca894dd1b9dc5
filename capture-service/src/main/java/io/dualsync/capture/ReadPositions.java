package io.dualsync.capture;

import io.dualsync.contract.Headers;
import org.apache.kafka.connect.data.Field;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.source.SourceRecord;

import java.util.Map;
import java.util.OptionalLong;

/**
 * Gives the rows an incremental snapshot reads (a resync) a log position. Debezium's PostgreSQL
 * connector emits them without {@code source.lsn}; every other event carries one. Asked for every
 * event in log order, this remembers the LSN of the last event that had one and hands it out for
 * an incremental read that has none ({@link Headers#READ_POSITION}). That position is right for
 * apply's order rule: Debezium emits a chunk's rows when it has read its closing watermark from
 * the log, after its opening watermark (committed before the chunk was read), and drops every row
 * that changed in between; so a row's earlier changes are all before that position and its later
 * ones after it. Before any event with an LSN (a snapshot resumed right after a restart) it falls
 * back on the LSN in the record's source offset. Stateful: one instance per engine.
 */
final class ReadPositions {

    private Long lastLsn;

    /** The position to stamp on this event: present only for an incremental read without {@code lsn}. */
    OptionalLong positionFor(SourceRecord record) {
        if (!(record.value() instanceof Struct value) || value.schema().field("source") == null) {
            return OptionalLong.empty();
        }
        Struct source = value.getStruct("source");
        Long lsn = longField(source, "lsn");
        if (lsn != null) {
            lastLsn = lsn;
            return OptionalLong.empty();
        }
        boolean incrementalRead = value.schema().field("op") != null && "r".equals(value.getString("op"))
                && "incremental".equals(text(source, "snapshot"));
        if (!incrementalRead || longField(source, "file") != null || text(source, "file") != null) {
            return OptionalLong.empty(); // MariaDB: binlog positions, which the transform reads itself
        }
        if (lastLsn != null) {
            return OptionalLong.of(lastLsn);
        }
        Map<String, ?> offset = record.sourceOffset();
        return offset != null && offset.get("lsn") instanceof Number n ? OptionalLong.of(n.longValue()) : OptionalLong.empty();
    }

    private static Long longField(Struct struct, String name) {
        Field field = struct == null ? null : struct.schema().field(name);
        return field != null && struct.get(field) instanceof Number n ? n.longValue() : null;
    }

    private static String text(Struct struct, String name) {
        Field field = struct == null ? null : struct.schema().field(name);
        return field == null || struct.get(field) == null ? null : struct.get(field).toString();
    }
}
