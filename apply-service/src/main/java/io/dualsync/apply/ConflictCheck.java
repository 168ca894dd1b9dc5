package io.dualsync.apply;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dualsync.catalog.Column;
import io.dualsync.config.ConflictPolicy;
import io.dualsync.contract.CanonicalText;
import io.dualsync.contract.MappedChange;
import io.dualsync.contract.MappedColumns;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Conflict detection of a bidirectional map (design.md, "Conflicts"): before a change is applied
 * to a row dualsync synced before, the row's current mapped image is read and locked in the apply
 * transaction and its hash compared with the hash stored at the last sync. A difference means
 * the row changed locally since: both sides changed it, and the map's policy decides
 * ({@link Verdict}). Rows never synced, and one-way maps, are not checked.
 */
final class ConflictCheck {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** What to do with an incoming change. */
    enum Outcome {
        /** no conflict, or the incoming side wins: apply it */
        APPLY,
        /** the local side wins: do not write, but take the local image as the synced one */
        KEEP_LOCAL,
        /** policy {@code fail}: dead-letter it as a conflict */
        FAIL
    }

    /** The decision and the row as it was found (hash and JSON image; nulls when the row is gone). */
    record Verdict(Outcome outcome, String currentHash, String currentImage) {
    }

    private final SqlDialect dialect;
    private final MappedColumns mapped;
    private final ConflictPolicy policy;
    private final String lockSql;
    private final List<Column> keyColumns;
    private final List<Column> columns;

    ConflictCheck(SqlDialect dialect, MappedColumns mapped, ConflictPolicy policy) {
        this.dialect = dialect;
        this.mapped = mapped;
        this.policy = policy;
        this.keyColumns = mapped.keyColumnDefinitions();
        this.columns = mapped.columnDefinitions();
        this.lockSql = dialect.lockRow(mapped.target().ref(), keyColumns, columns);
    }

    /**
     * @param storedHash the row hash stored at the last sync ({@code null}: the sync deleted it)
     */
    Verdict check(Connection connection, MappedChange change, String storedHash) throws SQLException {
        Map<String, Object> current = read(connection, change);
        String currentHash = current == null ? null : CanonicalText.rowHash(current);
        if (Objects.equals(currentHash, storedHash)) {
            return new Verdict(Outcome.APPLY, currentHash, null);
        }
        Outcome outcome = switch (policy.kind()) {
            case FAIL -> Outcome.FAIL;
            case ENDPOINT_WINS -> policy.winningEndpoint().orElseThrow().equals(change.sourceEndpoint())
                    ? Outcome.APPLY : Outcome.KEEP_LOCAL;
            // the local change's commit time is not known here: leave it to an operator rather than guess
            case LATEST_WINS -> Outcome.FAIL;
        };
        return new Verdict(outcome, currentHash, outcome == Outcome.FAIL ? json(current) : null);
    }

    private Map<String, Object> read(Connection connection, MappedChange change) throws SQLException {
        try (PreparedStatement ps = connection.prepareStatement(lockSql)) {
            int i = 1;
            for (Column c : keyColumns) {
                dialect.bind(ps, i++, c, change.key().get(c.name()));
            }
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return null;
                }
                Map<String, Object> image = new LinkedHashMap<>();
                for (int col = 0; col < columns.size(); col++) {
                    image.put(columns.get(col).name(), dialect.read(rs, col + 1, columns.get(col)));
                }
                return image;
            }
        }
    }

    private static String json(Map<String, Object> image) {
        if (image == null) {
            return "null";
        }
        Map<String, String> texts = new LinkedHashMap<>();
        image.forEach((column, value) -> texts.put(column, CanonicalText.format(value)));
        try {
            return JSON.writeValueAsString(texts);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("strings always serialize", e);
        }
    }
}
