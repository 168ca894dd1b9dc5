package io.dualsync.apply;

import java.time.Duration;

/** Exponential back-off between retries of a transient failure: doubles from a first pause up to a cap. */
final class Backoff {

    private final Duration cap;
    private Duration next;

    Backoff(Duration first, Duration cap) {
        this.cap = cap;
        this.next = first;
    }

    /** The pause before the next attempt. */
    Duration next() {
        Duration current = next;
        Duration doubled = next.multipliedBy(2);
        next = doubled.compareTo(cap) > 0 ? cap : doubled;
        return current;
    }
}
