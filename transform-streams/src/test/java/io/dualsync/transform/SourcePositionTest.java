package io.dualsync.transform;

import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** MariaDB binlog coordinates as one long that grows with the log; PostgreSQL LSNs as they are. */
class SourcePositionTest {

    private static final Schema MARIADB_SOURCE = SchemaBuilder.record("Source").namespace("io.debezium.connector.mariadb")
            .fields().requiredString("connector").optionalString("gtid").requiredString("file").requiredLong("pos")
            .requiredInt("row").endRecord();
    private static final Schema TRANSACTION = SchemaBuilder.record("ConnectDefault").namespace("event.block").fields()
            .requiredString("id").requiredLong("total_order").requiredLong("data_collection_order").endRecord();

    private static GenericRecord binlog(String file, long pos, int row, String gtid) {
        GenericRecord r = new GenericData.Record(MARIADB_SOURCE);
        r.put("connector", "mariadb");
        r.put("file", file);
        r.put("pos", pos);
        r.put("row", row);
        r.put("gtid", gtid);
        return r;
    }

    private static GenericRecord transaction(long totalOrder) {
        GenericRecord r = new GenericData.Record(TRANSACTION);
        r.put("id", "0-1-7");
        r.put("total_order", totalOrder);
        r.put("data_collection_order", totalOrder);
        return r;
    }

    /** A streamed change: {@code order} is its place in its transaction (Debezium's total_order, from 1). */
    private static long position(String file, long pos, long order) {
        return SourcePosition.of(binlog(file, pos, 0, "0-1-7"), transaction(order), false).position();
    }

    @Test
    void shouldEncodeFileSequenceTransactionOffsetAndOrderAsFileTimesTwoToThe32PlusOffsetPlusOrder() {
        assertThat(position("mariadb-bin.000001", 5093, 1)).isEqualTo((1L << 32) + 5094);
        assertThat(position("mariadb-bin.000042", 1234, 3)).isEqualTo(42L * (1L << 32) + 1237);
    }

    @Test
    void shouldGrowWithChangesWithinATransactionWithTransactionsWithinAFileAndWithFiles() {
        // two updates of one row in one transaction: same pos and row, told apart by total_order
        assertThat(position("mariadb-bin.000001", 5093, 2)).isGreaterThan(position("mariadb-bin.000001", 5093, 1));
        assertThat(position("mariadb-bin.000001", 5200, 1)).isGreaterThan(position("mariadb-bin.000001", 5093, 99));
        // the largest offset of a file is still below the first event of the next file
        assertThat(position("mariadb-bin.000002", 4, 0)).isGreaterThan(position("mariadb-bin.000001", 4_294_967_000L, 295));
        assertThat(position("mariadb-bin.999999", 4, 0)).isGreaterThan(position("mariadb-bin.000001", 4, 0));
        assertThat(position("mariadb-bin.1000000", 4, 0)).isGreaterThan(position("mariadb-bin.999999", 4_000_000_000L, 0));
    }

    @Test
    void shouldNotOverflowForTheLargestFileSequence() {
        assertThat(position("mariadb-bin.2147483646", 4_294_967_000L, 295)).isPositive();
    }

    @Test
    void shouldPlaceSnapshotReadsJustBeforeTheFirstStreamedChange() {
        SourcePosition snapshot = SourcePosition.of(binlog("mariadb-bin.000003", 5093, 0, null), null, true);
        long firstStreamed = position("mariadb-bin.000003", 5093, 1);

        assertThat(snapshot.position()).isLessThan(firstStreamed);
        assertThat(snapshot.position()).isGreaterThan(position("mariadb-bin.000002", 4_000_000_000L, 1));
        assertThat(snapshot.txId()).isNull();
    }

    @Test
    void shouldTakeTheTransactionIdFromTheGtid() {
        assertThat(SourcePosition.of(binlog("mariadb-bin.000001", 900, 0, "0-1-42"), transaction(1), false).txId())
                .isEqualTo("0-1-42");
    }

    @Test
    void shouldRefuseAStreamedMariaDbChangeWithoutTransactionMetadata() {
        assertThatThrownBy(() -> SourcePosition.of(binlog("mariadb-bin.000001", 900, 0, "0-1-42"), null, false))
                .isInstanceOf(MappingException.class)
                .hasMessageContaining("no transaction.total_order");
    }

    @Test
    void shouldRefuseABinlogFileNameWithoutSequenceAndAnOffsetBeyond32Bits() {
        assertThatThrownBy(() -> position("mariadb-bin", 4, 0)).isInstanceOf(MappingException.class)
                .hasMessage("binlog file name 'mariadb-bin' does not end in a sequence number");
        assertThatThrownBy(() -> position("mariadb-bin.000001", 1L << 32, 0)).isInstanceOf(MappingException.class)
                .hasMessage("binlog offset 4294967296 (change 0 of its transaction) of 'mariadb-bin.000001' is beyond 32 bits");
        assertThatThrownBy(() -> position("mariadb-bin.2147483647", 4, 0)).isInstanceOf(MappingException.class)
                .hasMessage("binlog file 'mariadb-bin.2147483647' has a sequence number too large for a position");
    }

    @Test
    void shouldReadPostgresLsnAndTxId() {
        Schema pg = SchemaBuilder.record("Source").fields().requiredString("connector").optionalLong("txId")
                .optionalLong("lsn").endRecord();
        GenericRecord r = new GenericData.Record(pg);
        r.put("connector", "postgresql");
        r.put("txId", 77L);
        r.put("lsn", 123456L);

        assertThat(SourcePosition.of(r, null, false)).isEqualTo(new SourcePosition(123456L, "77"));
        assertThat(SourcePosition.of(r, null, true)).isEqualTo(new SourcePosition(123456L, "77"));
    }
}
