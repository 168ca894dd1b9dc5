package io.dualsync.apply;

import io.dualsync.contract.MappedChange;

import java.time.Instant;

/**
 * A change the target database rejected, with the reason ({@link SafeMessage}: no row values).
 *
 * @param index        the change's position in the list given to {@link BatchApplier#apply}
 * @param change       the change
 * @param errorClass   the exception class that rejected it, or {@code Headers.ERROR_CLASS_CONFLICT}
 * @param sqlState     the SQLSTATE, {@code null} when the change was refused before reaching the database
 * @param message      the database's or binder's message
 * @param attempts     how many times it was tried (with its batch, then alone)
 * @param firstFailure when its batch first failed
 * @param lastFailure  when it failed alone
 * @param targetImage  for a conflict: the target row's current version as JSON (column to canonical
 *                     text), {@code "null"} when the row is gone; {@code null} for other failures
 * @param dependent    whether a missing parent row (or remaining children) refused it: worth
 *                     retrying later, when the change that brings the parent may have arrived
 */
public record FailedChange(int index, MappedChange change, String errorClass, String sqlState, String message,
                           int attempts, Instant firstFailure, Instant lastFailure, String targetImage,
                           boolean dependent) {

    public FailedChange(int index, MappedChange change, String errorClass, String sqlState, String message,
                        int attempts, Instant firstFailure, Instant lastFailure) {
        this(index, change, errorClass, sqlState, message, attempts, firstFailure, lastFailure, null, false);
    }

    public FailedChange(int index, MappedChange change, String errorClass, String sqlState, String message,
                        int attempts, Instant firstFailure, Instant lastFailure, String targetImage) {
        this(index, change, errorClass, sqlState, message, attempts, firstFailure, lastFailure, targetImage, false);
    }
}
