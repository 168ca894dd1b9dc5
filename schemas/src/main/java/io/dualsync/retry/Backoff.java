package io.dualsync.retry;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import java.util.random.RandomGenerator;

/**
 * Exponential back-off with jitter between retries of a transient failure: the nominal pause doubles
 * from a first pause up to a cap, and each pause is drawn between half the nominal pause and all of
 * it ("equal jitter"), so that workers that failed together (a database restart) do not all retry in
 * the same instant, while every pause still grows.
 */
public final class Backoff {

    private final Duration cap;
    private final RandomGenerator random;
    private Duration next;

    public Backoff(Duration first, Duration cap) {
        this(first, cap, ThreadLocalRandom.current());
    }

    public Backoff(Duration first, Duration cap, RandomGenerator random) {
        this.cap = cap;
        this.next = first;
        this.random = random;
    }

    /** The pause before the next attempt. */
    public Duration next() {
        Duration nominal = next;
        Duration doubled = next.multipliedBy(2);
        next = doubled.compareTo(cap) > 0 ? cap : doubled;
        long nanos = nominal.toNanos();
        long half = nanos / 2;
        return Duration.ofNanos(half + (nanos - half == 0 ? 0 : random.nextLong(nanos - half + 1)));
    }
}
