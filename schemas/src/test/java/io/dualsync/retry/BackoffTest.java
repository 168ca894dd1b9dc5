package io.dualsync.retry;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

class BackoffTest {

    @Test
    void shouldGrowExponentiallyWithJitterUpToTheCap() {
        Backoff backoff = new Backoff(Duration.ofMillis(100), Duration.ofMillis(800), new Random(42));
        List<Duration> pauses = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            pauses.add(backoff.next());
        }
        long[] nominal = {100, 200, 400, 800, 800, 800};
        for (int i = 0; i < nominal.length; i++) {
            assertThat(pauses.get(i)).isBetween(Duration.ofMillis(nominal[i] / 2), Duration.ofMillis(nominal[i]));
        }
    }

    @Test
    void shouldNotPauseAllWorkersForTheSameTime() {
        Random random = new Random(7);
        List<Duration> firstPauses = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            firstPauses.add(new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(30), random).next());
        }
        assertThat(firstPauses.stream().distinct().count()).isGreaterThan(10);
    }
}
