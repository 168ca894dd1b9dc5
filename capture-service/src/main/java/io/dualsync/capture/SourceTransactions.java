package io.dualsync.capture;

import org.apache.kafka.connect.data.Field;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.source.SourceRecord;

import java.util.Optional;

/**
 * Reads what the marker logic needs from a Debezium change event before conversion: the source
 * transaction's id and whether the event is a snapshot read. The transaction id is the first of
 * the {@code source} block's fields named in {@link #TRANSACTION_FIELDS} that the event carries:
 * {@code txId} on PostgreSQL; {@code gtid} on MariaDB/MySQL with GTIDs. A connector whose events
 * carry none of them yields empty, and then nothing is marked.
 */
final class SourceTransactions {

    /** Transaction id fields of Debezium's source blocks, by connector: PostgreSQL, then MariaDB/MySQL. */
    static final String[] TRANSACTION_FIELDS = {"txId", "gtid"};

    private SourceTransactions() {
    }

    static Optional<String> transactionId(SourceRecord record) {
        Struct source = source(record);
        if (source == null) {
            return Optional.empty();
        }
        for (String name : TRANSACTION_FIELDS) {
            Field field = source.schema().field(name);
            if (field != null && source.get(field) != null) {
                return Optional.of(source.get(field).toString());
            }
        }
        return Optional.empty();
    }

    /** Whether the event is a snapshot read ({@code op = r}): snapshot rows share the snapshot's transaction. */
    static boolean isSnapshotRead(SourceRecord record) {
        if (!(record.value() instanceof Struct value) || value.schema().field("op") == null) {
            return false;
        }
        return "r".equals(value.getString("op"));
    }

    private static Struct source(SourceRecord record) {
        if (!(record.value() instanceof Struct value) || value.schema().field("source") == null) {
            return null;
        }
        return value.getStruct("source");
    }
}
