package io.dualsync.apply;

import io.dualsync.synclog.Outcome;

import java.time.Duration;
import java.util.List;

/**
 * What became of a batch of changes handed to {@link BatchApplier#apply}. Every change of the batch
 * is counted exactly once.
 *
 * @param applied    changes that wrote to their target row
 * @param unchanged  newer changes that needed no write: the row already held the image, the row to
 *                   delete was absent, or the delete policy ignores deletes
 * @param duplicates changes not newer than the position already applied to their row (redelivery,
 *                   replay, out-of-order arrival): skipped
 * @param superseded changes replaced by a newer change to the same row in the same batch
 * @param failed     changes the target rejected; the rest of the batch was committed without them
 * @param written    of the applied changes, each one's outcome (inserted, updated, deleted) and its
 *                   latency from source commit to target commit (null when the source commit time
 *                   is unknown); empty when not measured
 */
public record ApplyResult(int applied, int unchanged, int duplicates, int superseded, List<FailedChange> failed,
                          List<Written> written) {

    public static final ApplyResult EMPTY = new ApplyResult(0, 0, 0, 0, List.of());

    /** One applied change as the sync log counts it. */
    public record Written(Outcome outcome, Duration latency) {
    }

    public ApplyResult {
        failed = List.copyOf(failed);
        written = List.copyOf(written);
    }

    public ApplyResult(int applied, int unchanged, int duplicates, int superseded, List<FailedChange> failed) {
        this(applied, unchanged, duplicates, superseded, failed, List.of());
    }

    /** How many changes this result accounts for. */
    public int total() {
        return applied + unchanged + duplicates + superseded + failed.size();
    }

    ApplyResult plus(ApplyResult other) {
        List<FailedChange> all = new java.util.ArrayList<>(failed);
        all.addAll(other.failed);
        List<Written> allWritten = new java.util.ArrayList<>(written);
        allWritten.addAll(other.written);
        return new ApplyResult(applied + other.applied, unchanged + other.unchanged,
                duplicates + other.duplicates, superseded + other.superseded, all, allWritten);
    }
}
