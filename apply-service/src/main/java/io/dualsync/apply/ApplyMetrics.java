package io.dualsync.apply;

import io.micrometer.core.instrument.MeterRegistry;

/**
 * The apply service's counters, tagged with the map: {@code dualsync.apply.applied},
 * {@code .unchanged}, {@code .duplicates}, {@code .superseded}, {@code .dead_lettered}
 * (see {@link ApplyResult} for what each counts).
 */
final class ApplyMetrics {

    private final MeterRegistry registry;

    ApplyMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    void record(String map, ApplyResult result) {
        count("dualsync.apply.applied", map, result.applied());
        count("dualsync.apply.unchanged", map, result.unchanged());
        count("dualsync.apply.duplicates", map, result.duplicates());
        count("dualsync.apply.superseded", map, result.superseded());
    }

    void deadLettered(String map, int records) {
        count("dualsync.apply.dead_lettered", map, records);
    }

    private void count(String name, String map, int n) {
        if (n > 0) {
            registry.counter(name, "map", map).increment(n);
        }
    }
}
