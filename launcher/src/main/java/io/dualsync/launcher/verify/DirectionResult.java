package io.dualsync.launcher.verify;

import java.time.Duration;
import java.util.List;

/**
 * What verify found for one {@link VerifiedDirection}: the {@link Tally}, how long it took, and
 * for listed differing rows (with {@code --show-values}) the columns that differ.
 */
record DirectionResult(VerifiedDirection direction, String sourceTable, String targetTable, Tally tally,
                       Duration took, List<ValueDifferences.Row> values) {

    DirectionResult {
        values = List.copyOf(values);
    }

    DirectionResult withValues(List<ValueDifferences.Row> rows) {
        return new DirectionResult(direction, sourceTable, targetTable, tally, took, rows);
    }
}
