package io.dualsync.transform;

import java.time.Instant;
import java.util.Map;

/**
 * A decoded Debezium change event of one source row: the operation, the row's primary key as
 * canonical text (the links store's key), the before and after images as canonical values by
 * source column name (either may be empty; a delete's before image may hold only the key), and
 * where and when the change happened on the source.
 */
record RawChange(Op op, String sourceKey, Map<String, Object> before, Map<String, Object> after,
                 long sourcePosition, String sourceTxId, Instant sourceCommitTime) {

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
