package io.dualsync.launcher.bench;

import org.junit.jupiter.api.Test;

import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class LatencyStatsTest {

    @Test
    void shouldGiveNearestRankPercentilesOfOneToHundred() {
        double[] values = IntStream.rangeClosed(1, 100).mapToDouble(i -> 101 - i).toArray(); // unsorted on purpose

        LatencyStats stats = LatencyStats.of(values);

        assertEquals(100, stats.count());
        assertEquals(50, stats.p50());
        assertEquals(95, stats.p95());
        assertEquals(99, stats.p99());
        assertEquals(100, stats.max());
        assertEquals(50.5, stats.mean(), 1e-9);
    }

    @Test
    void shouldTakeTheOnlyValueForEveryPercentileOfOneValue() {
        LatencyStats stats = LatencyStats.of(new double[] {7.5});

        assertEquals(7.5, stats.p50());
        assertEquals(7.5, stats.p99());
        assertEquals(7.5, stats.max());
    }

    @Test
    void shouldReportZerosForNoValues() {
        assertEquals(new LatencyStats(0, 0, 0, 0, 0, 0), LatencyStats.of(new double[0]));
    }

    @Test
    void shouldRoundTheRankUp() {
        // 10 values: p95 is the 10th (ceil 9.5), p50 the 5th
        double[] values = IntStream.rangeClosed(1, 10).asDoubleStream().toArray();

        assertEquals(5, LatencyStats.percentile(values, 50));
        assertEquals(10, LatencyStats.percentile(values, 95));
    }

    @Test
    void shouldRefuseAPercentileOutsideZeroToHundred() {
        assertThrows(IllegalArgumentException.class, () -> LatencyStats.percentile(new double[] {1}, 0));
        assertThrows(IllegalArgumentException.class, () -> LatencyStats.percentile(new double[] {1}, 101));
    }
}
