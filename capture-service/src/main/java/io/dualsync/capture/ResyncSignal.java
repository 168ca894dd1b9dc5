package io.dualsync.capture;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dualsync.config.Endpoint;
import io.dualsync.config.TableRef;
import io.dualsync.contract.BookkeepingTables;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/**
 * A request for an incremental snapshot of one captured table (design.md, "Initial and repeated
 * synchronization"): a Debezium {@code execute-snapshot} signal of type {@code incremental},
 * optionally restricted by an SQL condition ({@code additional-conditions}), inserted into the
 * endpoint's signaling table ({@link BookkeepingTables#signal}). The running capture engine reads
 * the insert from the log like any change, so the request needs no restart; it then reads the
 * table in chunks between watermarks and emits every row as a read ({@code op = r},
 * {@code source.snapshot = incremental}) into the table's raw topic, where the rows take the
 * ordinary path to every map that reads the table.
 *
 * @param table  the captured table to read again
 * @param filter an SQL condition on the table's columns that the rows to read must meet
 *               (Debezium appends it to its chunk query's WHERE clause); empty: every row
 */
public record ResyncSignal(TableRef table, Optional<String> filter) {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** Debezium's signal type (io.debezium.pipeline.signal.actions.snapshotting.ExecuteSnapshot.NAME). */
    static final String EXECUTE_SNAPSHOT = "execute-snapshot";

    public ResyncSignal {
        Objects.requireNonNull(table);
        filter = filter == null ? Optional.empty() : filter;
    }

    /**
     * The signal's {@code data} JSON: {@code {"type":"incremental","data-collections":[t],
     * "additional-conditions":[{"data-collection":t,"filter":...}]}} with {@code t} the table's
     * {@code schema.table} (PostgreSQL) or {@code database.table} (MariaDB), as in
     * {@code signal.data.collection}.
     */
    public String data() {
        ObjectNode data = JSON.createObjectNode();
        data.put("type", "incremental");
        data.putArray("data-collections").add(table.qualifiedName());
        filter.ifPresent(f -> {
            ArrayNode conditions = data.putArray("additional-conditions");
            conditions.addObject().put("data-collection", table.qualifiedName()).put("filter", f);
        });
        return data.toString();
    }

    /**
     * Inserts the signal into the signaling table of {@code endpoint} (the table's endpoint) and
     * commits; the endpoint's capture acts on it when it reads the insert from the log.
     *
     * @return the signal's id, which Debezium names in its log
     * @throws SQLException when the endpoint cannot be reached or the signaling table is missing
     *                      (capture creates it when it starts)
     */
    public String send(Endpoint endpoint) throws SQLException {
        if (!endpoint.name().equals(table.endpoint())) {
            throw new IllegalArgumentException("table " + table + " is not on endpoint '" + endpoint.name() + "'");
        }
        String id = "dualsync-resync-" + UUID.randomUUID();
        TableRef signal = BookkeepingTables.signal(endpoint);
        String quote = endpoint.kind() == io.dualsync.config.EndpointKind.POSTGRES ? "\"" : "`";
        String sql = "INSERT INTO " + quote + signal.schema() + quote + "." + quote + signal.table() + quote
                + " (id, type, data) VALUES (?, ?, ?)";
        try (Connection c = EndpointConnections.open(endpoint); PreparedStatement ps = c.prepareStatement(sql)) {
            c.setAutoCommit(true);
            ps.setString(1, id);
            ps.setString(2, EXECUTE_SNAPSHOT);
            ps.setString(3, data());
            ps.executeUpdate();
        }
        return id;
    }
}
