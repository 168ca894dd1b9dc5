package io.dualsync.synclog;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

import java.time.Duration;

/**
 * Where one service reports what it did with each change: into the minute totals of the sync log
 * and, with the same numbers, into Micrometer — counter {@value #CHANGES} tagged {@code map},
 * {@code service} and {@code outcome} ({@link Outcome#field()}), and timer {@value #LATENCY}
 * (source commit to target commit, with a percentile histogram) tagged {@code map} and
 * {@code service}. Obtained from {@link SyncLog#recorder(String)}; thread-safe.
 */
public final class SyncLogRecorder {

    public static final String CHANGES = "dualsync.sync.changes";
    public static final String LATENCY = "dualsync.sync.latency";

    private final String service;
    private final MinuteAggregator minutes;
    private final MeterRegistry meters;

    SyncLogRecorder(String service, MinuteAggregator minutes, MeterRegistry meters) {
        this.service = service;
        this.minutes = minutes;
        this.meters = meters;
    }

    /** Counts {@code n} changes of {@code map} with this outcome. */
    public void count(String map, Outcome outcome, long n) {
        if (n <= 0) {
            return;
        }
        minutes.count(service, map, outcome, n);
        meters.counter(CHANGES, "map", map, "service", service, "outcome", outcome.field()).increment(n);
    }

    /**
     * Counts one change that wrote to the target ({@link Outcome#INSERTED}, {@link Outcome#UPDATED},
     * {@link Outcome#DELETED}) and its latency from source commit to target commit, when known.
     */
    public void written(String map, Outcome outcome, Duration latency) {
        minutes.written(service, map, outcome, latency);
        meters.counter(CHANGES, "map", map, "service", service, "outcome", outcome.field()).increment();
        if (latency != null) {
            Timer.builder(LATENCY).tags("map", map, "service", service)
                    .description("from the source transaction's commit to the target transaction's commit")
                    .publishPercentileHistogram()
                    .register(meters)
                    // a negative latency means the clocks of the two databases disagree: count it as 0
                    .record(latency.isNegative() ? Duration.ZERO : latency);
        }
    }
}
