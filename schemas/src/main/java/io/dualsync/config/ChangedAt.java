package io.dualsync.config;

import java.util.Optional;

/**
 * The column on each side of a map that records when a row last changed (a map's
 * {@code changedAt: { a: updated_at, b: modified_at }}), which {@code dualsync resync --since}
 * filters on; a side without one cannot be resynchronized by time, only as a whole.
 *
 * @param a the changed-at column of side A's table
 * @param b the changed-at column of side B's table
 */
public record ChangedAt(Optional<String> a, Optional<String> b) {

    public static final ChangedAt NONE = new ChangedAt(Optional.empty(), Optional.empty());

    public Optional<String> column(Side side) {
        return side == Side.A ? a : b;
    }
}
