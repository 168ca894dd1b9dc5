package io.dualsync.config;

import java.util.List;
import java.util.Optional;

/**
 * One table map: which table on side A corresponds to which on side B, how rows are coupled
 * (key), which columns travel and how (fields), which rows are in scope (filter, companies), and
 * the policies for conflicts and deletes.
 *
 * <p>{@link #fields()} includes every key pair: {@link ConfigLoader} adds a plain copy for a key
 * pair that the file does not also list under {@code fields}.
 *
 * <p>{@link #initialSyncWinner()}: the endpoint whose version wins for a coupled row that both
 * sides already held with different values before dualsync synced it (the first sync), whatever
 * {@link #conflicts()} says; empty: the conflict policy settles those too.
 *
 * <p>{@link #changedAt()}: per side, the column recording when a row last changed, which
 * {@code dualsync resync --since} filters on; {@link ChangedAt#NONE} when the map names none.
 *
 * <p>{@link #keyMatching()}: how key values must agree to couple two rows (exact by default).
 *
 * <p>{@link #onInsert()}: per side, values set only when the sync creates a row there (none by
 * default); {@link #leavesScope()}: what a row leaving the map's scope does to its coupled row
 * ({@link LeavesScope#KEEP} by default).
 */
public record TableMap(String name, TableRef a, TableRef b, Direction direction,
                       List<KeyField> key, List<FieldMap> fields,
                       RowFilter filterA, RowFilter filterB, CompanyFilter companies,
                       ConflictPolicy conflicts, DeletePolicy deletes, Optional<String> initialSyncWinner,
                       ChangedAt changedAt, KeyMatching keyMatching, OnInsert onInsert, LeavesScope leavesScope) {

    public TableMap {
        key = List.copyOf(key);
        fields = List.copyOf(fields);
        initialSyncWinner = initialSyncWinner == null ? Optional.empty() : initialSyncWinner;
        changedAt = changedAt == null ? ChangedAt.NONE : changedAt;
        keyMatching = keyMatching == null ? KeyMatching.EXACT : keyMatching;
        onInsert = onInsert == null ? OnInsert.NONE : onInsert;
        leavesScope = leavesScope == null ? LeavesScope.KEEP : leavesScope;
    }

    /** A map without values set only on create that keeps rows leaving its scope. */
    public TableMap(String name, TableRef a, TableRef b, Direction direction,
                    List<KeyField> key, List<FieldMap> fields,
                    RowFilter filterA, RowFilter filterB, CompanyFilter companies,
                    ConflictPolicy conflicts, DeletePolicy deletes, Optional<String> initialSyncWinner,
                    ChangedAt changedAt, KeyMatching keyMatching) {
        this(name, a, b, direction, key, fields, filterA, filterB, companies, conflicts, deletes, initialSyncWinner,
                changedAt, keyMatching, OnInsert.NONE, LeavesScope.KEEP);
    }

    /** A map whose keys match exactly. */
    public TableMap(String name, TableRef a, TableRef b, Direction direction,
                    List<KeyField> key, List<FieldMap> fields,
                    RowFilter filterA, RowFilter filterB, CompanyFilter companies,
                    ConflictPolicy conflicts, DeletePolicy deletes, Optional<String> initialSyncWinner,
                    ChangedAt changedAt) {
        this(name, a, b, direction, key, fields, filterA, filterB, companies, conflicts, deletes, initialSyncWinner,
                changedAt, KeyMatching.EXACT);
    }

    /** A map without changed-at columns. */
    public TableMap(String name, TableRef a, TableRef b, Direction direction,
                    List<KeyField> key, List<FieldMap> fields,
                    RowFilter filterA, RowFilter filterB, CompanyFilter companies,
                    ConflictPolicy conflicts, DeletePolicy deletes, Optional<String> initialSyncWinner,
                    KeyMatching keyMatching) {
        this(name, a, b, direction, key, fields, filterA, filterB, companies, conflicts, deletes, initialSyncWinner,
                ChangedAt.NONE, keyMatching);
    }

    /** A map without changed-at columns whose keys match exactly. */
    public TableMap(String name, TableRef a, TableRef b, Direction direction,
                    List<KeyField> key, List<FieldMap> fields,
                    RowFilter filterA, RowFilter filterB, CompanyFilter companies,
                    ConflictPolicy conflicts, DeletePolicy deletes, Optional<String> initialSyncWinner) {
        this(name, a, b, direction, key, fields, filterA, filterB, companies, conflicts, deletes, initialSyncWinner,
                ChangedAt.NONE, KeyMatching.EXACT);
    }

    /** A map without an authoritative side at the first sync. */
    public TableMap(String name, TableRef a, TableRef b, Direction direction,
                    List<KeyField> key, List<FieldMap> fields,
                    RowFilter filterA, RowFilter filterB, CompanyFilter companies,
                    ConflictPolicy conflicts, DeletePolicy deletes) {
        this(name, a, b, direction, key, fields, filterA, filterB, companies, conflicts, deletes, Optional.empty());
    }

    public TableRef table(Side side) {
        return side == Side.A ? a : b;
    }

    /** The key columns of one side, in key order. */
    public List<String> keyColumns(Side side) {
        return key.stream().map(k -> side == Side.A ? k.a() : k.b()).toList();
    }

    public RowFilter filter(Side side) {
        return side == Side.A ? filterA : filterB;
    }
}
