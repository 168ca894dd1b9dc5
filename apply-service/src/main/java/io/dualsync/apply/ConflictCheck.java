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
import java.util.Optional;

/**
 * Conflict detection of a bidirectional map (design.md, "Conflicts"): before a change is applied
 * to a row dualsync synced before, the row's current mapped image is read and locked in the apply
 * transaction and its hash compared with the hash stored at the last sync. A difference means
 * the row changed locally since: both sides changed it, and the map's policy decides
 * ({@link Verdict}). Rows never synced, and one-way maps, are not checked. Under {@code latest-wins}
 * the map's echo filter (transform) arbitrates by source commit time, since only it sees both
 * sides' changes; apply writes when the local image is the one the filter decided against.
 */
final class ConflictCheck {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** How the echo filter writes "no row" in {@code Headers.ARBITRATED_TARGET_HASH}. */
    private static final String ABSENT = "-";
    /**
     * In the accepted images of a change that superseded, in its batch, an older change of the row
     * the filter sent without an image: the row may also hold what the bookkeeping check accepts.
     */
    static final String UNCLAIMED = "?";

    /** What to do with an incoming change. */
    enum Outcome {
        /** no conflict, or the incoming side wins: apply it */
        APPLY,
        /** the local side wins: do not write, but take the local image as the synced one */
        KEEP_LOCAL,
        /** policy {@code fail}: dead-letter it as a conflict */
        FAIL,
        /**
         * {@code latest-wins}, and the row holds a local change the map's echo filter has not
         * arbitrated yet: leave row and bookkeeping as they are; the filter decides when that
         * change reaches it, and sends the winner again if this change wins
         */
        DEFER
    }

    /**
     * The decision and the row as it was found (hash and JSON image; nulls when the row is gone);
     * for a row dualsync never wrote, how the change met it (null otherwise).
     */
    record Verdict(Outcome outcome, String currentHash, String currentImage, FirstSync.Kind firstSync) {
        Verdict(Outcome outcome, String currentHash, String currentImage) {
            this(outcome, currentHash, currentImage, null);
        }
    }

    private final SqlDialect dialect;
    private final MappedColumns mapped;
    private final ConflictPolicy policy;
    private final Optional<String> initialSyncWinner;
    private final java.util.function.Function<Map<String, Object>, String> imageHash;
    private final String lockSql;
    private final List<Column> keyColumns;
    private final List<Column> columns;

    ConflictCheck(SqlDialect dialect, MappedColumns mapped, ConflictPolicy policy) {
        this(dialect, mapped, policy, Optional.empty());
    }

    /** @param initialSyncWinner the endpoint whose version wins for rows both sides held before any sync */
    ConflictCheck(SqlDialect dialect, MappedColumns mapped, ConflictPolicy policy, Optional<String> initialSyncWinner) {
        this(dialect, mapped, policy, initialSyncWinner, CanonicalText::rowHash);
    }

    /** @param imageHash how a row image is hashed (with the map's key matching), as the stored and incoming hashes are */
    ConflictCheck(SqlDialect dialect, MappedColumns mapped, ConflictPolicy policy, Optional<String> initialSyncWinner,
                  java.util.function.Function<Map<String, Object>, String> imageHash) {
        this.imageHash = imageHash;
        this.initialSyncWinner = initialSyncWinner;
        this.dialect = dialect;
        this.mapped = mapped;
        this.policy = policy;
        this.keyColumns = mapped.keyColumnDefinitions();
        this.columns = mapped.columnDefinitions();
        this.lockSql = dialect.lockRow(mapped.target().ref(), keyColumns, columns);
    }

    /**
     * @param state          what the bookkeeping holds for the row; null when dualsync never wrote it
     * @param incomingHash   hash of the image the change would give the row; null for a delete
     * @param arbitrated     the target images the map's echo filter sent this change (and the older
     *                       changes of the row it supersedes in the batch) against
     *                       ({@code Headers.ARBITRATED_TARGET_HASH}, {@code -} for no row); empty when
     *                       the filter did not know it or both sides changed the row concurrently
     */
    Verdict check(Connection connection, MappedChange change, Bookkeeping.RowState state, String incomingHash,
                  java.util.Set<String> arbitrated) throws SQLException {
        boolean sentAgainstAnImage = !arbitrated.isEmpty();
        Map<String, Object> current = read(connection, change);
        String currentHash = current == null ? null : imageHash.apply(current);
        FirstSync.Kind firstSync = state != null ? null
                : current == null ? FirstSync.Kind.CREATED
                : currentHash.equals(incomingHash) ? FirstSync.Kind.MATCHED : FirstSync.Kind.DIFFERING;
        boolean asArbitrated = sentAgainstAnImage && arbitrated.contains(currentHash == null ? ABSENT : currentHash);
        boolean asBookkept = (!sentAgainstAnImage || arbitrated.contains(UNCLAIMED))
                && Objects.equals(currentHash, expected(state, current, incomingHash));
        if (asArbitrated || asBookkept) {
            return new Verdict(Outcome.APPLY, currentHash, null, firstSync);
        }
        if (firstSync == FirstSync.Kind.DIFFERING && initialSyncWinner.isPresent()) {
            // both sides held the row before dualsync: the authoritative side wins, as the filter decides too
            return new Verdict(initialSyncWinner.get().equals(change.sourceEndpoint()) ? Outcome.APPLY : Outcome.KEEP_LOCAL,
                    currentHash, null, firstSync);
        }
        Outcome outcome = switch (policy.kind()) {
            case FAIL -> Outcome.FAIL;
            // the filter sent this change against another image: the row holds a local change on its
            // way to the filter, which arbitrates it there (design.md, "Conflicts")
            case ENDPOINT_WINS -> sentAgainstAnImage ? Outcome.DEFER
                    : policy.winningEndpoint().orElseThrow().equals(change.sourceEndpoint()) ? Outcome.APPLY : Outcome.KEEP_LOCAL;
            // only the echo filter sees both sides' commit times: it decides, apply never guesses
            case LATEST_WINS -> Outcome.DEFER;
        };
        return new Verdict(outcome, currentHash, outcome == Outcome.FAIL ? json(current) : null, firstSync);
    }

    /**
     * The image the row may hold without a conflict: the one stored at the last sync, or for a row
     * dualsync never wrote, none at all or the incoming one (rows both sides already held at the
     * first sync and that agree are coupled as they are; those that differ are conflicts).
     */
    private static String expected(Bookkeeping.RowState state, Map<String, Object> current, String incomingHash) {
        if (state != null) {
            return state.rowHash();
        }
        return current == null ? null : incomingHash;
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
