package io.dualsync.contract;

import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * One change to apply to a target row: the value of a record on a mapped topic
 * ({@code dualsync.mapped.<map>.<target>}) as a plain Java object. {@link MappedChangeCodec}
 * turns it into the registered Avro record and back.
 *
 * <p>Column values are in their canonical Java form for the target column's type (see
 * {@link ColumnValues}), keyed by target column name, in target column order.
 *
 * @param operation        upsert or delete
 * @param map              the table map that produced it
 * @param targetTable      {@code schema.table} on the target endpoint
 * @param sourceEndpoint   the endpoint the change was captured on
 * @param sourcePosition   the change's log position on the source (PostgreSQL LSN, MariaDB binlog
 *                         position), monotonic per source row: a change is applied only if newer
 * @param sourceTxId       the source transaction, where known
 * @param sourceCommitTime when the source transaction committed
 * @param companyId        the row's company, when the map scopes by company
 * @param key              target key columns and values
 * @param columns          every mapped target column and its value; empty for a delete
 */
public record MappedChange(Operation operation, String map, String targetTable, String sourceEndpoint,
                           long sourcePosition, String sourceTxId, Instant sourceCommitTime, String companyId,
                           Map<String, Object> key, Map<String, Object> columns) {

    public MappedChange {
        Objects.requireNonNull(operation, "operation");
        key = Collections.unmodifiableMap(new LinkedHashMap<>(key));
        columns = Collections.unmodifiableMap(new LinkedHashMap<>(columns));
    }
}
