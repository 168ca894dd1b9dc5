package io.dualsync.synclog;

import org.junit.jupiter.api.Test;

import java.util.NavigableMap;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;

class LatencySamplesTest {

    @Test
    void shouldGiveTheExactNearestRankPercentiles() {
        LatencySamples s = new LatencySamples();
        for (long ms = 100; ms >= 1; ms--) {
            s.add(ms);
        }
        assertThat(s.count()).isEqualTo(100);
        assertThat(s.percentile(50)).isEqualTo(50);
        assertThat(s.percentile(99)).isEqualTo(99);
        assertThat(s.max()).isEqualTo(100);
    }

    @Test
    void shouldTakeTheSlowestOfFewSamplesAsTheNinetyNinthPercentile() {
        LatencySamples s = new LatencySamples();
        s.add(10);
        s.add(2000);
        s.add(30);
        assertThat(s.percentile(50)).isEqualTo(30);
        assertThat(s.percentile(99)).isEqualTo(2000);
    }

    @Test
    void shouldHaveNoPercentileWithoutSamples() {
        assertThat(new LatencySamples().percentile(50)).isNull();
        assertThat(LatencySamples.percentile(new TreeMap<>(), 99)).isNull();
    }

    @Test
    void shouldBucketToThreeSignificantDigitsRoundingUp() {
        assertThat(LatencySamples.bucket(0)).isEqualTo(0);
        assertThat(LatencySamples.bucket(999)).isEqualTo(999);
        assertThat(LatencySamples.bucket(1000)).isEqualTo(1000);
        assertThat(LatencySamples.bucket(1001)).isEqualTo(1010);
        assertThat(LatencySamples.bucket(123_456)).isEqualTo(124_000);
    }

    @Test
    void shouldReadPercentilesOfMergedHistogramsWithinOnePercent() {
        LatencySamples first = new LatencySamples();
        LatencySamples second = new LatencySamples();
        for (int i = 1; i <= 500; i++) {
            first.add(i * 7L);
            second.add(i * 11L);
        }
        NavigableMap<Long, Long> merged = new TreeMap<>(first.histogram());
        second.histogram().forEach((k, v) -> merged.merge(k, v, Long::sum));
        LatencySamples all = new LatencySamples();
        for (int i = 1; i <= 500; i++) {
            all.add(i * 7L);
            all.add(i * 11L);
        }
        for (double p : new double[] {50, 99}) {
            long exact = all.percentile(p);
            assertThat(LatencySamples.percentile(merged, p)).isBetween(exact, (long) Math.ceil(exact * 1.01));
        }
    }
}
