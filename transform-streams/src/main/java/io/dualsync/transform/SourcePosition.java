package io.dualsync.transform;

import org.apache.avro.generic.GenericRecord;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The position of a change in its endpoint's log, as one {@code long} that grows with the log
 * (design.md: "source position, monotonic per endpoint"), and the id of its source transaction,
 * both read from the Debezium {@code source} block. The connector named in the block decides:
 *
 * <p><b>PostgreSQL</b>: {@code lsn}; transaction {@code txId}. A row read by an incremental snapshot
 * (a resync) has no {@code lsn}: capture stamps the LSN of the last change it read before it on
 * the record (header {@code dualsync.source.read-position}), which is newer than every earlier
 * change of the row and older than every later one.
 *
 * <p><b>MariaDB</b> (binlog): Debezium's {@code source.pos} is the offset of the <em>transaction's
 * first event</em> in the binlog file (every change of a transaction carries the same
 * {@code pos}, and {@code row} restarts with each rows event, so two updates of one row in one
 * transaction would tie); the change's place inside its transaction is
 * {@code transaction.total_order} (1, 2, 3, ...; the capture runs with
 * {@code provide.transaction.metadata=true}). {@code file} {@code mariadb-bin.000042},
 * {@code pos} and {@code total_order} become
 * <pre>   position = fileSequence * 2^32 + pos + total_order</pre>
 * Why this cannot collide or overflow: binlog offsets are 32-bit (event headers store the next
 * position in 4 bytes), so {@code pos < 2^32}; a transaction is longer in bytes than its number
 * of row changes (each row image in a rows event takes at least one byte, its null bitmap, and
 * the transaction's GTID and COMMIT events take more), so {@code pos + total_order} stays below
 * the next transaction's {@code pos} and below {@code 2^32} (a transaction never spans files);
 * the file sequence has 31 bits left, 2 147 483 647 binlog files, so the long never overflows.
 * Snapshot reads ({@code op = r}) all carry the binlog
 * position at which streaming will start; they get that position <b>minus one</b>, so every
 * snapshot row is older than every streamed change, including one at exactly that position
 * (binlog files start with a 4-byte magic number, so {@code pos >= 4} and the minus one stays
 * within the file). Transaction id: the GTID ({@code domain-server-sequence}); none for
 * snapshot reads. Not handled: {@code RESET MASTER} (file numbers restart: positions would go
 * back) and switching the endpoint to another server of a replication cluster (other file
 * names and offsets); both need a re-snapshot of the endpoint.
 */
record SourcePosition(long position, String txId) {

    /** Room for one binlog file's offsets: 2^32. */
    static final long FILE_SPAN = 1L << 32;
    private static final Pattern BINLOG_FILE = Pattern.compile(".*\\.(\\d+)");

    /**
     * @param source       the envelope's {@code source} block
     * @param transaction  the envelope's {@code transaction} block, null when absent
     * @param snapshotRead whether the change is a snapshot read ({@code op = r})
     */
    static SourcePosition of(GenericRecord source, GenericRecord transaction, boolean snapshotRead) {
        return of(source, transaction, snapshotRead, null);
    }

    /**
     * @param readPosition for a snapshot read whose source block has no {@code lsn} (PostgreSQL's
     *                     incremental snapshots), the LSN capture stamped on it
     *                     ({@code Headers.READ_POSITION}); null when none
     */
    static SourcePosition of(GenericRecord source, GenericRecord transaction, boolean snapshotRead, Long readPosition) {
        Object connector = field(source, "connector");
        if (connector != null && (connector.toString().equals("mariadb") || connector.toString().equals("mysql"))) {
            return binlog(source, transaction, snapshotRead);
        }
        Object lsn = field(source, "lsn");
        if (lsn == null && snapshotRead && readPosition != null) {
            return new SourcePosition(readPosition, null);
        }
        if (lsn == null) {
            throw new MappingException("the change event's source block has no 'lsn'");
        }
        Object txId = field(source, "txId");
        return new SourcePosition(((Number) lsn).longValue(), txId == null ? null : txId.toString());
    }

    private static SourcePosition binlog(GenericRecord source, GenericRecord transaction, boolean snapshotRead) {
        Object file = field(source, "file");
        Object pos = field(source, "pos");
        if (file == null || pos == null) {
            throw new MappingException("the change event's source block has no binlog 'file' and 'pos'");
        }
        if (snapshotRead) {
            return new SourcePosition(binlogPosition(file.toString(), ((Number) pos).longValue(), 0) - 1, null);
        }
        Object order = transaction == null ? null : field(transaction, "total_order");
        if (order == null) {
            throw new MappingException("the MariaDB change event has no transaction.total_order, without which changes of"
                    + " one transaction cannot be ordered: capture with provide.transaction.metadata=true");
        }
        long position = binlogPosition(file.toString(), ((Number) pos).longValue(), ((Number) order).longValue());
        Object gtid = field(source, "gtid");
        return new SourcePosition(position, gtid == null ? null : gtid.toString());
    }

    /** {@code fileSequence * 2^32 + pos + order}; see the class comment for why it is safe. */
    static long binlogPosition(String file, long pos, long order) {
        Matcher m = BINLOG_FILE.matcher(file);
        if (!m.matches()) {
            throw new MappingException("binlog file name '" + file + "' does not end in a sequence number");
        }
        long sequence;
        try {
            sequence = Long.parseLong(m.group(1));
        } catch (NumberFormatException e) {
            throw new MappingException("binlog file '" + file + "' has a sequence number too large for a position");
        }
        if (sequence >= Integer.MAX_VALUE) {
            throw new MappingException("binlog file '" + file + "' has a sequence number too large for a position");
        }
        if (pos < 0 || order < 0 || pos + order >= FILE_SPAN) {
            throw new MappingException("binlog offset " + pos + " (change " + order + " of its transaction) of '" + file
                    + "' is beyond 32 bits");
        }
        return sequence * FILE_SPAN + pos + order;
    }

    private static Object field(GenericRecord record, String name) {
        return record.getSchema().getField(name) == null ? null : record.get(name);
    }
}
