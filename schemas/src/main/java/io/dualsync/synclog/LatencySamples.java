package io.dualsync.synclog;

import java.util.Arrays;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;

/**
 * The latencies of one map in one minute, in milliseconds: kept exactly, so the minute's
 * percentiles are exact (nearest rank: the p-th percentile is the smallest sample that at least
 * p % of the samples do not exceed). For merging minutes, {@link #histogram()} summarises them
 * in buckets of three significant digits (each bucket named by its upper bound, at most 1 % above
 * any sample in it), which {@link #percentile(NavigableMap, double)} reads the same way.
 * Not thread-safe.
 */
public final class LatencySamples {

    private long[] samples = new long[16];
    private int size;
    private boolean sorted = true;

    public void add(long millis) {
        if (size == samples.length) {
            samples = Arrays.copyOf(samples, size * 2);
        }
        samples[size++] = Math.max(0, millis);
        sorted = false;
    }

    public int count() {
        return size;
    }

    /**
     * @param p from 0 (exclusive) to 100
     * @return the exact nearest-rank percentile; {@code null} without samples
     */
    public Long percentile(double p) {
        if (size == 0) {
            return null;
        }
        sort();
        return samples[rank(p, size) - 1];
    }

    public Long max() {
        return percentile(100);
    }

    /** Sample count per bucket upper bound (three significant digits), ascending. */
    public NavigableMap<Long, Long> histogram() {
        NavigableMap<Long, Long> buckets = new TreeMap<>();
        for (int i = 0; i < size; i++) {
            buckets.merge(bucket(samples[i]), 1L, Long::sum);
        }
        return buckets;
    }

    /** The smallest number of three significant digits not below {@code millis}. */
    static long bucket(long millis) {
        long scale = 1;
        while (millis > 999 * scale) {
            scale *= 10;
        }
        return (millis + scale - 1) / scale * scale;
    }

    /** The nearest-rank percentile of a (merged) histogram; {@code null} when it is empty. */
    public static Long percentile(NavigableMap<Long, Long> histogram, double p) {
        long total = histogram.values().stream().mapToLong(Long::longValue).sum();
        if (total == 0) {
            return null;
        }
        long rank = rank(p, total);
        long seen = 0;
        for (Map.Entry<Long, Long> bucket : histogram.entrySet()) {
            seen += bucket.getValue();
            if (seen >= rank) {
                return bucket.getKey();
            }
        }
        throw new IllegalStateException("unreachable: rank " + rank + " of " + total);
    }

    /** 1-based nearest rank: ceil(p / 100 * n), at least 1. */
    private static int rank(double p, int n) {
        return (int) rank(p, (long) n);
    }

    private static long rank(double p, long n) {
        if (!(p > 0 && p <= 100)) {
            throw new IllegalArgumentException("percentile must be in (0, 100]: " + p);
        }
        return Math.max(1, (long) Math.ceil(p / 100.0 * n - 1e-9));
    }

    private void sort() {
        if (!sorted) {
            Arrays.sort(samples, 0, size);
            sorted = true;
        }
    }
}
