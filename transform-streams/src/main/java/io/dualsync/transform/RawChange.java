package io.dualsync.transform;

import java.time.Instant;
import java.util.Map;

/**
 * A decoded Debezium change event of one source row: the operation, the row's primary key as
 * canonical text (the links store's key), the before and after images as canonical values by
 * source column name (either may be empty; a delete's before image may hold only the key), and
 * where and when the change happened on the source. {@code resync}: the change is a row read by an
 * incremental snapshot ({@code op = r}, {@code source.snapshot = incremental}), which
 * {@code dualsync resync} asks for: the row's current state, to be sent even when the flow last
 * sent the same image (the target may have lost it).
 */
record RawChange(Op op, String sourceKey, Map<String, Object> before, Map<String, Object> after,
                 long sourcePosition, String sourceTxId, Instant sourceCommitTime, boolean resync) {

    /** A change that is not a read of an incremental snapshot. */
    RawChange(Op op, String sourceKey, Map<String, Object> before, Map<String, Object> after,
              long sourcePosition, String sourceTxId, Instant sourceCommitTime) {
        this(op, sourceKey, before, after, sourcePosition, sourceTxId, sourceCommitTime, false);
    }

    /** Debezium's {@code op} codes. */
    enum Op {
        CREATE, UPDATE, DELETE, SNAPSHOT_READ;

        static Op of(String code) {
            if (code == null) {
                throw new MappingException("the change event has no 'op'");
            }
            return switch (code) {
                case "c" -> CREATE;
                case "u" -> UPDATE;
                case "d" -> DELETE;
                case "r" -> SNAPSHOT_READ;
                default -> throw new MappingException("unsupported change event operation '" + code + "'");
            };
        }
    }
}
