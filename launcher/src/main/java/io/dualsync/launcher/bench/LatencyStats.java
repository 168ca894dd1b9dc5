package io.dualsync.launcher.bench;

import java.util.Arrays;

/**
 * Percentiles of a set of latencies in milliseconds, by the nearest-rank method: the p-th
 * percentile is the smallest value with at least p % of all values at or below it. An empty set
 * has count 0 and every statistic 0.
 *
 * @param count number of latencies
 * @param p50   median
 * @param p95   95th percentile
 * @param p99   99th percentile
 * @param max   largest
 * @param mean  arithmetic mean
 */
record LatencyStats(int count, double p50, double p95, double p99, double max, double mean) {

    static LatencyStats of(double[] millis) {
        if (millis.length == 0) {
            return new LatencyStats(0, 0, 0, 0, 0, 0);
        }
        double[] sorted = millis.clone();
        Arrays.sort(sorted);
        return new LatencyStats(sorted.length, percentile(sorted, 50), percentile(sorted, 95),
                percentile(sorted, 99), sorted[sorted.length - 1], Arrays.stream(sorted).average().orElse(0));
    }

    /** Nearest rank of an ascending array: value at index ceil(p/100 * n) - 1. */
    static double percentile(double[] ascending, double p) {
        if (ascending.length == 0) {
            throw new IllegalArgumentException("no values");
        }
        if (p <= 0 || p > 100) {
            throw new IllegalArgumentException("percentile must be in (0, 100], was " + p);
        }
        int rank = (int) Math.ceil(p / 100.0 * ascending.length);
        return ascending[Math.max(0, rank - 1)];
    }
}
