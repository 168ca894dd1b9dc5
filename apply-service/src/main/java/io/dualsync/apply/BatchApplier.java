package io.dualsync.apply;

import io.dualsync.contract.CanonicalText;

import io.dualsync.contract.InsertValues;
import io.dualsync.contract.MappedColumns;
import io.dualsync.config.ConflictPolicy;
import io.dualsync.config.DeletePolicy;
import io.dualsync.contract.MappedChange;
import io.dualsync.contract.Operation;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import io.dualsync.synclog.Outcome;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.Optional;

/**
 * Applies batches of changes of one table map to its target table, each batch in one transaction
 * (design.md, "Idempotent, order-safe apply"): it advances this worker's checkpoint row first (loop
 * suppression), locks the bookkeeping rows of the batch's target rows, skips every change not newer
 * than the position applied to its row, keeps only the newest change per row, writes deletes then
 * upserts as JDBC batches, records the new positions and row hashes, and commits.
 *
 * <p>For a bidirectional map, a change to a row synced before is first checked for a conflict
 * ({@link ConflictCheck}): under {@code fail} it goes to the dead-letter topic marked as a
 * conflict with the target's version, while the rest of the batch commits; when the local side
 * wins it is not written and the local image becomes the synced one.
 *
 * <p>Failures are classified ({@link FailureClassifier}): a transient one rolls back and throws
 * {@link TransientApplyException} for the caller to retry the whole batch; a permanent one rolls back
 * and retries the batch one change per transaction, so only the changes the database rejects fail
 * and everything else is committed. Logs name the map, table, SQLSTATE and source position, never
 * row values or keys.
 */
public final class BatchApplier {

    private static final Logger LOG = LoggerFactory.getLogger(BatchApplier.class);

    private final MappedColumns mapped;
    private final TableWriter writer;
    private final Bookkeeping bookkeeping;
    private final String workerId;
    private final String targetTable;
    private final Clock clock;
    private final ConflictCheck conflicts;
    private final io.dualsync.config.KeyMatching keyMatching;
    private final KeyResolver keys;
    /** the first sync of this map's rows into the table so far (committed transactions only) */
    private volatile FirstSync firstSync = FirstSync.NONE;
    /** of the batch being applied; see {@link #apply(Connection, List, List)} */
    private List<String> arbitrated;
    /** of the batch being applied; see {@link #apply(Connection, List, List, List)} */
    private List<Boolean> overwrite;
    /** of the batch being applied: per row key, every image the echo filter sent its changes against */
    private Map<String, Set<String>> acceptedImages = Map.of();

    /**
     * @param dialect      the target database's dialect
     * @param mapped       the map's target table and the columns it writes
     * @param deletes      what a delete does to the target row
     * @param workerId     this worker's checkpoint row; unique among workers running at the same time
     *                     on the same database (their transactions would queue on one row otherwise)
     * @param zonelessZone the zone the target's zone-less timestamps are meant in (soft delete time)
     * @throws IllegalArgumentException when the map cannot be applied to this table (key not unique,
     *                                  soft-delete column missing or not a boolean or timestamp)
     */
    public BatchApplier(SqlDialect dialect, MappedColumns mapped, DeletePolicy deletes, String workerId,
                        ZoneId zonelessZone) {
        this(dialect, mapped, deletes, null, workerId, zonelessZone, Clock.systemUTC());
    }

    /**
     * @param conflicts the map's conflict policy when the map flows both ways (rows synced before
     *                  are checked for local changes, {@link ConflictCheck}); {@code null}: no check
     */
    public BatchApplier(SqlDialect dialect, MappedColumns mapped, DeletePolicy deletes, ConflictPolicy conflicts,
                        String workerId, ZoneId zonelessZone) {
        this(dialect, mapped, deletes, conflicts, workerId, zonelessZone, Clock.systemUTC());
    }

    BatchApplier(SqlDialect dialect, MappedColumns mapped, DeletePolicy deletes, String workerId,
                 ZoneId zonelessZone, Clock clock) {
        this(dialect, mapped, deletes, null, workerId, zonelessZone, clock);
    }

    /**
     * @param initialSyncWinner for a bidirectional map, the endpoint whose version wins for rows both
     *                          sides held with different values before any sync ({@code initialSync})
     */
    public BatchApplier(SqlDialect dialect, MappedColumns mapped, DeletePolicy deletes, ConflictPolicy conflicts,
                        Optional<String> initialSyncWinner, String workerId, ZoneId zonelessZone) {
        this(dialect, mapped, deletes, conflicts, initialSyncWinner, workerId, zonelessZone, Clock.systemUTC());
    }

    /**
     * @param keyMatching how a change's key must agree with a target row's to address it (the map's
     *                    {@code keyMatching}); a row matched despite another spelling keeps its own key
     */
    public BatchApplier(SqlDialect dialect, MappedColumns mapped, DeletePolicy deletes, ConflictPolicy conflicts,
                        Optional<String> initialSyncWinner, io.dualsync.config.KeyMatching keyMatching, String workerId,
                        ZoneId zonelessZone) {
        this(dialect, mapped, deletes, conflicts, initialSyncWinner, keyMatching, workerId, zonelessZone, Clock.systemUTC());
    }

    BatchApplier(SqlDialect dialect, MappedColumns mapped, DeletePolicy deletes, ConflictPolicy conflicts, String workerId,
                 ZoneId zonelessZone, Clock clock) {
        this(dialect, mapped, deletes, conflicts, Optional.empty(), workerId, zonelessZone, clock);
    }

    BatchApplier(SqlDialect dialect, MappedColumns mapped, DeletePolicy deletes, ConflictPolicy conflicts,
                 Optional<String> initialSyncWinner, String workerId, ZoneId zonelessZone, Clock clock) {
        this(dialect, mapped, deletes, conflicts, initialSyncWinner, io.dualsync.config.KeyMatching.EXACT, workerId,
                zonelessZone, clock);
    }

    BatchApplier(SqlDialect dialect, MappedColumns mapped, DeletePolicy deletes, ConflictPolicy conflicts,
                 Optional<String> initialSyncWinner, io.dualsync.config.KeyMatching keyMatching, String workerId,
                 ZoneId zonelessZone, Clock clock) {
        this(dialect, mapped, deletes, conflicts, initialSyncWinner, keyMatching, InsertValues.NONE, workerId, zonelessZone, clock);
    }

    /** @param insertValues the values set only on rows this map creates in the table (its {@code onInsert}) */
    public BatchApplier(SqlDialect dialect, MappedColumns mapped, DeletePolicy deletes, ConflictPolicy conflicts,
                        Optional<String> initialSyncWinner, io.dualsync.config.KeyMatching keyMatching,
                        InsertValues insertValues, String workerId, ZoneId zonelessZone) {
        this(dialect, mapped, deletes, conflicts, initialSyncWinner, keyMatching, insertValues, workerId, zonelessZone,
                Clock.systemUTC());
    }

    BatchApplier(SqlDialect dialect, MappedColumns mapped, DeletePolicy deletes, ConflictPolicy conflicts,
                 Optional<String> initialSyncWinner, io.dualsync.config.KeyMatching keyMatching, InsertValues insertValues,
                 String workerId, ZoneId zonelessZone, Clock clock) {
        this.keyMatching = keyMatching;
        this.keys = new KeyResolver(dialect, mapped, keyMatching);
        this.conflicts = conflicts == null ? null
                : new ConflictCheck(dialect, mapped, conflicts, initialSyncWinner, this::imageHash);
        this.mapped = mapped;
        this.writer = new TableWriter(dialect, mapped, deletes, zonelessZone, insertValues);
        this.bookkeeping = new Bookkeeping(dialect);
        this.workerId = workerId;
        this.targetTable = mapped.target().ref().qualifiedName();
        this.clock = clock;
    }

    /**
     * Applies the changes; every change is accounted for in the result.
     *
     * @param connection a connection to the target, used for nothing else meanwhile; left with
     *                   auto-commit off
     * @throws TransientApplyException when the database failed transiently: nothing was committed
     */
    public ApplyResult apply(Connection connection, List<MappedChange> changes) {
        return apply(connection, changes, null);
    }

    /**
     * @param arbitratedHashes per change, the target image the echo filter of a {@code latest-wins}
     *                         map let it win against ({@code Headers.ARBITRATED_TARGET_HASH}), or null
     *                         entries; null: none
     */
    public ApplyResult apply(Connection connection, List<MappedChange> changes, List<String> arbitratedHashes) {
        return apply(connection, changes, arbitratedHashes, null);
    }

    /**
     * @param overwrite per change, whether an operator decided it overwrites a local change of its
     *                  row (a conflict replayed with {@code Headers.REPLAY_DECISION=overwrite}): the
     *                  conflict check then lets it through; it is still skipped when not newer than
     *                  the row's applied position. null: none
     */
    public ApplyResult apply(Connection connection, List<MappedChange> changes, List<String> arbitratedHashes,
                             List<Boolean> overwrite) {
        this.arbitrated = arbitratedHashes;
        this.overwrite = overwrite;
        List<NewestPerRow.Item> items = new ArrayList<>(changes.size());
        List<FailedChange> refused = new ArrayList<>();
        for (int i = 0; i < changes.size(); i++) {
            MappedChange change = changes.get(i);
            try {
                writer.validatedKey(change);
                MappedChange addressed = resolveKey(connection, change);
                items.add(new NewestPerRow.Item(i, addressed, CanonicalText.rowKey(writer.validatedKey(addressed))));
            } catch (IllegalArgumentException e) {
                Instant now = clock.instant();
                LOG.warn("map {} table {}: change at source position {} does not fit the map; sending it to the dead-letter topic",
                        mapped.map(), targetTable, change.sourcePosition());
                refused.add(new FailedChange(i, change, e.getClass().getName(), null, e.getMessage(), 1, now, now));
            }
        }
        ApplyResult shapeFailures = new ApplyResult(0, 0, 0, 0, refused);
        if (items.isEmpty()) {
            return shapeFailures;
        }
        acceptedImages = acceptedImages(items);
        NewestPerRow.Selection selection = NewestPerRow.of(items);
        ApplyResult superseded = new ApplyResult(0, 0, 0, selection.superseded(), List.of());
        try {
            return inOneTransaction(connection, selection.newest()).plus(superseded).plus(shapeFailures);
        } catch (SQLException | RuntimeException e) {
            rollback(connection);
            Instant failedAt = clock.instant();
            String sqlState = FailureClassifier.sqlState(e);
            if (FailureClassifier.isTransient(e)) {
                throw new TransientApplyException("map " + mapped.map() + " table " + targetTable
                        + ": transient failure, SQLState " + sqlState, sqlState, e);
            }
            if (selection.newest().size() == 1) {
                return failure(selection.newest().getFirst(), e, 1, failedAt).plus(superseded).plus(shapeFailures);
            }
            LOG.warn("map {} table {}: batch of {} changes failed with SQLState {}; applying them one at a time",
                    mapped.map(), targetTable, selection.newest().size(), sqlState);
            return oneByOne(connection, selection.newest(), failedAt).plus(superseded).plus(shapeFailures);
        }
    }

    /** The change addressed to the target row its key matches under the map's key matching. */
    private MappedChange resolveKey(Connection connection, MappedChange change) {
        if (!keys.lenient()) {
            return change;
        }
        try {
            if (connection.getAutoCommit()) {
                connection.setAutoCommit(false);
            }
            return keys.resolve(connection, change);
        } catch (SQLException e) {
            rollback(connection);
            String sqlState = FailureClassifier.sqlState(e);
            if (FailureClassifier.isTransient(e)) {
                throw new TransientApplyException("map " + mapped.map() + " table " + targetTable
                        + ": transient failure looking up a key, SQLState " + sqlState, sqlState, e);
            }
            throw new IllegalStateException("map " + mapped.map() + " table " + targetTable
                    + ": looking up a key failed with SQLState " + sqlState, e);
        }
    }

    /**
     * Hash of a target image as both sides' images are compared: key values in the form the map's
     * key matching compares them in (the map's echo filter hashes the same way).
     */
    String imageHash(Map<String, Object> image) {
        return CanonicalText.rowHash(keyMatching.comparableImage(image, mapped.keyColumns()));
    }

    private ApplyResult oneByOne(Connection connection, List<NewestPerRow.Item> items, Instant batchFailedAt) {
        ApplyResult total = ApplyResult.EMPTY;
        for (NewestPerRow.Item item : items) {
            try {
                total = total.plus(inOneTransaction(connection, List.of(item)));
            } catch (SQLException | RuntimeException e) {
                rollback(connection);
                if (FailureClassifier.isTransient(e)) {
                    String sqlState = FailureClassifier.sqlState(e);
                    throw new TransientApplyException("map " + mapped.map() + " table " + targetTable
                            + ": transient failure, SQLState " + sqlState, sqlState, e);
                }
                total = total.plus(failure(item, e, 2, batchFailedAt));
            }
        }
        return total;
    }

    private ApplyResult failure(NewestPerRow.Item item, Exception e, int attempts, Instant firstFailure) {
        SQLException sql = FailureClassifier.mostSpecific(e);
        String sqlState = sql == null ? null : sql.getSQLState();
        // drivers quote row values in their messages: only the rebuilt, value-free reason goes anywhere
        String message = SafeMessage.of(e);
        String errorClass = sql == null ? e.getClass().getName() : sql.getClass().getName();
        boolean dependent = FailureClassifier.classify(e) == FailureClassifier.Kind.DEPENDENT;
        LOG.warn("map {} table {}: change at source position {} rejected with SQLState {} ({}); {}",
                mapped.map(), targetTable, item.position(), sqlState, errorClass,
                dependent ? "its parent row is missing: retrying it later" : "sending it to the dead-letter topic");
        return new ApplyResult(0, 0, 0, 0, List.of(new FailedChange(item.index(), item.change(), errorClass,
                sqlState, message, attempts, firstFailure, clock.instant(), null, dependent)));
    }

    /** One transaction: checkpoint, lock and compare positions, write, record positions, commit. */
    private ApplyResult inOneTransaction(Connection connection, List<NewestPerRow.Item> items) throws SQLException {
        if (connection.getAutoCommit()) {
            connection.setAutoCommit(false);
        }
        long newestPosition = items.stream().mapToLong(NewestPerRow.Item::position).max().orElseThrow();
        bookkeeping.touchCheckpoint(connection, workerId, newestPosition);
        Map<String, Bookkeeping.RowState> stored = bookkeeping.lockRowStates(connection, mapped.map(), targetTable,
                items.stream().map(NewestPerRow.Item::rowKey).toList());

        List<NewestPerRow.Item> deletes = new ArrayList<>();
        List<NewestPerRow.Item> upserts = new ArrayList<>();
        List<Bookkeeping.RowUpdate> keptLocal = new ArrayList<>();
        List<FailedChange> conflicted = new ArrayList<>();
        int duplicates = 0;
        int deferred = 0;
        FirstSync firstSyncHere = FirstSync.NONE;
        // rows dualsync never wrote that the target already held: writing them is an update, not an insert
        Set<String> metExistingRow = new HashSet<>();
        for (NewestPerRow.Item item : items) {
            Bookkeeping.RowState state = stored.get(item.rowKey());
            ConflictCheck.Verdict verdict = conflicts == null || (state != null && state.sourcePosition() >= item.position())
                    ? null : conflicts.check(connection, item.change(), state, incomingHash(item), arbitrated(item));
            if (verdict != null && verdict.outcome() != ConflictCheck.Outcome.APPLY && overwrite != null
                    && Boolean.TRUE.equals(overwrite.get(item.index()))) {
                LOG.info("map {} table {}: change at source position {} overwrites a local change of its row "
                        + "(an operator replayed it with decision overwrite)", mapped.map(), targetTable, item.position());
                verdict = new ConflictCheck.Verdict(ConflictCheck.Outcome.APPLY, verdict.currentHash(), null, verdict.firstSync());
            }
            if (verdict != null && verdict.firstSync() != null) {
                firstSyncHere = firstSyncHere.count(verdict.firstSync(), verdict.outcome() == ConflictCheck.Outcome.FAIL);
                if (verdict.firstSync() != FirstSync.Kind.CREATED) {
                    metExistingRow.add(item.rowKey());
                }
            }
            if (state != null && item.position() <= state.sourcePosition()) {
                duplicates++;
            } else if (verdict != null && verdict.outcome() == ConflictCheck.Outcome.DEFER) {
                // no write and no bookkeeping: the same change may come again, decided
                deferred++;
            } else if (verdict != null && verdict.outcome() == ConflictCheck.Outcome.KEEP_LOCAL) {
                // the local change wins and travels the other way; its image is now the synced one
                keptLocal.add(rowUpdate(item, verdict.currentHash()));
            } else if (verdict != null && verdict.outcome() == ConflictCheck.Outcome.FAIL) {
                Instant now = clock.instant();
                LOG.warn("map {} table {}: change at source position {} conflicts with a local change of its row; "
                        + "sending it to the dead-letter topic", mapped.map(), targetTable, item.position());
                conflicted.add(new FailedChange(item.index(), item.change(), io.dualsync.contract.Headers.ERROR_CLASS_CONFLICT,
                        null, "the target row changed since the last sync (policy " + conflictPolicyName() + ")",
                        1, now, now, verdict.currentImage()));
            } else if (item.change().operation() == Operation.DELETE) {
                deletes.add(item);
            } else {
                upserts.add(item);
            }
        }
        // deletes first: a row deleted at the source may free a unique value an upsert takes
        int[] deleted = switch (writer.deleteKind()) {
            case DELETE -> execute(connection, writer.deleteSql(), deletes, Binder.DELETE);
            case SOFT -> execute(connection, writer.softDeleteSql(), deletes, Binder.SOFT_DELETE);
            case IGNORE -> new int[deletes.size()];
        };
        int[] upserted = execute(connection, writer.upsertSql(), upserts, Binder.UPSERT);

        List<Bookkeeping.RowUpdate> updates = new ArrayList<>(deletes.size() + upserts.size());
        for (NewestPerRow.Item item : deletes) {
            Bookkeeping.RowState state = stored.get(item.rowKey());
            // a deleted row has no image; an ignored or soft-deleted one keeps its last synced image
            String hash = writer.deleteKind() == DeletePolicy.Kind.DELETE || state == null ? null : state.rowHash();
            updates.add(rowUpdate(item, hash));
        }
        for (NewestPerRow.Item item : upserts) {
            updates.add(rowUpdate(item, imageHash(writer.image(item.change()))));
        }
        updates.addAll(keptLocal);
        bookkeeping.writeRowStates(connection, mapped.map(), targetTable, updates);
        connection.commit();
        Instant committed = clock.instant();
        if (!firstSyncHere.isEmpty()) {
            reportFirstSync(firstSyncHere);
        }

        List<ApplyResult.Written> written = new ArrayList<>();
        for (int i = 0; i < deletes.size(); i++) {
            if (wrote(deleted[i])) {
                written.add(new ApplyResult.Written(Outcome.DELETED, latency(deletes.get(i), committed)));
            }
        }
        for (int i = 0; i < upserts.size(); i++) {
            if (wrote(upserted[i])) {
                NewestPerRow.Item item = upserts.get(i);
                boolean firstWrite = stored.get(item.rowKey()) == null && !metExistingRow.contains(item.rowKey());
                written.add(new ApplyResult.Written(firstWrite ? Outcome.INSERTED : Outcome.UPDATED, latency(item, committed)));
            }
        }
        return new ApplyResult(written.size(), deletes.size() + upserts.size() - written.size() + keptLocal.size() + deferred,
                duplicates, 0, conflicted, written);
    }

    /** From the source transaction's commit to {@code committed}; null when the source commit time is unknown. */
    private static Duration latency(NewestPerRow.Item item, Instant committed) {
        Instant source = item.change().sourceCommitTime();
        return source == null ? null : Duration.between(source, committed);
    }

    /**
     * The first sync of this map's rows into its target table so far: changes that met rows
     * dualsync had never written, by how they met them.
     */
    public FirstSync firstSync() {
        return firstSync;
    }

    private void reportFirstSync(FirstSync batch) {
        FirstSync total = firstSync.plus(batch);
        firstSync = total;
        LOG.info("map {} table {}: first sync of {} rows in this batch; so far created {}, matched {}, differing {} "
                        + "(settled by {}), failed {}", mapped.map(), targetTable, batch.total(), total.created(),
                total.matched(), total.differing(), "the initial-sync authority or the conflict policy", total.failed());
    }

    private String incomingHash(NewestPerRow.Item item) {
        return item.change().operation() == Operation.DELETE ? null : imageHash(writer.image(item.change()));
    }

    /**
     * The target images the echo filter sent this change against: its own, and those of the older
     * changes of the row in the batch, which the newest supersedes (the row may hold what any of
     * them was sent against); empty when the filter sent it without one.
     */
    private Set<String> arbitrated(NewestPerRow.Item item) {
        String own = arbitrated == null ? null : arbitrated.get(item.index());
        return own == null ? Set.of() : acceptedImages.getOrDefault(item.rowKey(), Set.of(own));
    }

    private Map<String, Set<String>> acceptedImages(List<NewestPerRow.Item> items) {
        if (arbitrated == null) {
            return Map.of();
        }
        Map<String, Set<String>> images = new HashMap<>();
        for (NewestPerRow.Item item : items) {
            String hash = arbitrated.get(item.index());
            // a change the filter sent without an image superseded in this batch: had it been applied
            // alone it would have passed the bookkeeping check, and the later changes against its
            // image; so the row may also hold what that check accepts (a new row: nothing yet)
            images.computeIfAbsent(item.rowKey(), k -> new HashSet<>()).add(hash == null ? ConflictCheck.UNCLAIMED : hash);
        }
        return images;
    }

    private String conflictPolicyName() {
        return "of map " + mapped.map();
    }

    private static Bookkeeping.RowUpdate rowUpdate(NewestPerRow.Item item, String hash) {
        return new Bookkeeping.RowUpdate(item.rowKey(), item.change().sourceEndpoint(), item.position(), hash);
    }

    private enum Binder { UPSERT, DELETE, SOFT_DELETE }

    private int[] execute(Connection connection, String sql, List<NewestPerRow.Item> items, Binder binder)
            throws SQLException {
        if (items.isEmpty()) {
            return new int[0];
        }
        try (PreparedStatement ps = connection.prepareStatement(sql)) {
            for (NewestPerRow.Item item : items) {
                switch (binder) {
                    case UPSERT -> writer.bindUpsert(ps, item.change());
                    case DELETE -> writer.bindDelete(ps, item.change());
                    case SOFT_DELETE -> writer.bindSoftDelete(ps, item.change());
                }
                ps.addBatch();
            }
            return ps.executeBatch();
        }
    }

    /** Whether a statement of a batch wrote: an upsert whose row already held the values reports 0; "no info" counts as written. */
    private static boolean wrote(int count) {
        return count > 0 || count == Statement.SUCCESS_NO_INFO;
    }

    private void rollback(Connection connection) {
        try {
            connection.rollback();
        } catch (SQLException e) {
            LOG.debug("map {} table {}: rollback failed with SQLState {}", mapped.map(), targetTable, e.getSQLState());
        }
    }
}
