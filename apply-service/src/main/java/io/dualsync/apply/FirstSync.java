package io.dualsync.apply;

/**
 * The result of the first sync of a bidirectional map's rows into one target table, counted as
 * changes reach rows dualsync never wrote before (design.md, "Initial and repeated
 * synchronization"): {@code created} (the target had no such row), {@code matched} (the target
 * held the same values: the rows are coupled as they are), {@code differing} (the target held
 * other values: settled by the initial-sync authority or the conflict policy) and {@code failed}
 * (dead-lettered as a conflict under {@code fail}). Counts only what committed.
 */
public record FirstSync(long created, long matched, long differing, long failed) {

    public static final FirstSync NONE = new FirstSync(0, 0, 0, 0);

    /** How a change met a row dualsync never wrote. */
    enum Kind { CREATED, MATCHED, DIFFERING }

    FirstSync plus(FirstSync other) {
        return new FirstSync(created + other.created, matched + other.matched, differing + other.differing,
                failed + other.failed);
    }

    FirstSync count(Kind kind, boolean failed) {
        return new FirstSync(created + (kind == Kind.CREATED ? 1 : 0), matched + (kind == Kind.MATCHED ? 1 : 0),
                differing + (kind == Kind.DIFFERING ? 1 : 0), this.failed + (failed ? 1 : 0));
    }

    boolean isEmpty() {
        return equals(NONE);
    }

    long total() {
        return created + matched + differing;
    }
}
