package io.dualsync.apply;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

class ApplyOptionsTest {

    @Test
    void shouldSpaceDependentRetriesFurtherApartUpToTheMaximum() {
        ApplyOptions options = new ApplyOptions(Duration.ofMillis(100), Duration.ofSeconds(30), 5,
                Duration.ofSeconds(5), Duration.ofSeconds(30));

        assertThat(options.dependentDelay(1)).isEqualTo(Duration.ofSeconds(5));
        assertThat(options.dependentDelay(2)).isEqualTo(Duration.ofSeconds(10));
        assertThat(options.dependentDelay(3)).isEqualTo(Duration.ofSeconds(20));
        assertThat(options.dependentDelay(4)).isEqualTo(Duration.ofSeconds(30));
        assertThat(options.dependentDelay(60)).isEqualTo(Duration.ofSeconds(30));
    }
}
