package io.dualsync.apply;

import java.time.Duration;

/**
 * How the apply service retries (issue 5, "Classify every failure").
 *
 * @param firstBackoff     first pause after a transient failure (connection lost, deadlock, lock
 *                         timeout); doubles, with jitter, up to {@code maxBackoff}. Only the
 *                         partitions whose records failed wait; the others keep flowing.
 * @param maxBackoff       longest pause between two tries of a transient failure; those are retried
 *                         for as long as it takes
 * @param dependentRetries how many times a change whose parent row is missing (foreign key) goes
 *                         through {@code dualsync.retry.<target>} before it is dead-lettered with
 *                         class {@code dependent}; 0 dead-letters it at once
 * @param dependentDelay   the wait before its first retry; doubles for each further retry, up to
 *                         {@code maxDependentDelay}
 * @param maxDependentDelay longest wait between two retries of a dependent change
 */
public record ApplyOptions(Duration firstBackoff, Duration maxBackoff, int dependentRetries, Duration dependentDelay,
                           Duration maxDependentDelay) {

    /** 100 ms to 30 s back-off; 10 dependent retries from 5 s to 5 min apart (about 25 minutes in all). */
    public static ApplyOptions defaults() {
        return new ApplyOptions(Duration.ofMillis(100), Duration.ofSeconds(30), 10, Duration.ofSeconds(5),
                Duration.ofMinutes(5));
    }

    public ApplyOptions {
        if (firstBackoff.isNegative() || firstBackoff.isZero() || maxBackoff.compareTo(firstBackoff) < 0) {
            throw new IllegalArgumentException("back-off must be positive and no longer than its maximum");
        }
        if (dependentRetries < 0) {
            throw new IllegalArgumentException("dependent retries must be 0 or more, not " + dependentRetries);
        }
        if (dependentDelay.isNegative() || maxDependentDelay.compareTo(dependentDelay) < 0) {
            throw new IllegalArgumentException("dependent delay must be 0 or more and no longer than its maximum");
        }
    }

    public ApplyOptions withDependentRetries(int retries, Duration delay) {
        return new ApplyOptions(firstBackoff, maxBackoff, retries, delay,
                maxDependentDelay.compareTo(delay) < 0 ? delay : maxDependentDelay);
    }

    /** The wait before the {@code n}-th (1-based) retry of a dependent change. */
    public Duration dependentDelay(int n) {
        Duration d = dependentDelay;
        for (int i = 1; i < n && d.compareTo(maxDependentDelay) < 0; i++) {
            d = d.multipliedBy(2);
        }
        return d.compareTo(maxDependentDelay) > 0 ? maxDependentDelay : d;
    }
}
