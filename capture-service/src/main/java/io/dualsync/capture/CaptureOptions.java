package io.dualsync.capture;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Metrics;

import java.time.Duration;
import java.util.Objects;

/**
 * Tuning of one capture engine that is not part of the sync configuration: how often Debezium
 * polls the replication stream, how often it writes its offsets to Kafka, and where the
 * service's metrics go. {@link #defaults()} suits production; tests shorten the intervals.
 *
 * @param pollInterval        Debezium {@code poll.interval.ms}: the longest a captured change
 *                            waits before it is handed to the publisher
 * @param offsetFlushInterval Debezium {@code offset.flush.interval.ms}: how often published
 *                            positions are written to the offsets topic; a crash re-publishes at
 *                            most this much (downstream stages are idempotent)
 * @param meters              where event counters are registered
 */
public record CaptureOptions(Duration pollInterval, Duration offsetFlushInterval, MeterRegistry meters) {

    public CaptureOptions {
        Objects.requireNonNull(pollInterval, "pollInterval");
        Objects.requireNonNull(offsetFlushInterval, "offsetFlushInterval");
        Objects.requireNonNull(meters, "meters");
        if (pollInterval.isNegative() || pollInterval.isZero()) {
            throw new IllegalArgumentException("pollInterval must be positive, was " + pollInterval);
        }
        if (offsetFlushInterval.isNegative() || offsetFlushInterval.isZero()) {
            throw new IllegalArgumentException("offsetFlushInterval must be positive, was " + offsetFlushInterval);
        }
    }

    /**
     * 20 ms polls, offsets flushed every second, metrics to Micrometer's global registry. Debezium
     * waits one poll interval whenever its queue is empty, so the interval adds up to its length to
     * a change's latency; 20 ms instead of 100 ms lowered the streaming p50 (BENCHMARKS.md) and
     * costs an idle engine only 50 wake-ups a second. Under load the queue is never empty and the
     * interval plays no part.
     */
    public static CaptureOptions defaults() {
        return new CaptureOptions(Duration.ofMillis(20), Duration.ofSeconds(1), Metrics.globalRegistry);
    }

    public CaptureOptions withPollInterval(Duration interval) {
        return new CaptureOptions(interval, offsetFlushInterval, meters);
    }

    public CaptureOptions withOffsetFlushInterval(Duration interval) {
        return new CaptureOptions(pollInterval, interval, meters);
    }

    public CaptureOptions withMeters(MeterRegistry registry) {
        return new CaptureOptions(pollInterval, offsetFlushInterval, registry);
    }
}
