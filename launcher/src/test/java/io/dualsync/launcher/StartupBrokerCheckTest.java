package io.dualsync.launcher;

import io.dualsync.config.KafkaSettings;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/** A service command refuses to start, within a bounded time, when no broker answers at kafka.bootstrap. */
class StartupBrokerCheckTest {

    @Test
    void shouldGiveUpOnAnUnreachableBrokerWithinTheTimeoutNamingTheAddressAndWhatToCheck() {
        KafkaSettings nowhere = new KafkaSettings("localhost:1", Map.of(), 1, (short) 1);   // nothing listens on port 1

        long started = System.nanoTime();
        Throwable failure = catchThrowable(() -> Startup.checkBroker(nowhere, Duration.ofSeconds(3)));
        Duration took = Duration.ofNanos(System.nanoTime() - started);

        assertThat(failure).isInstanceOf(Startup.StartupException.class);
        assertThat(failure.getMessage()).startsWith("Cannot reach Kafka at localhost:1 within 3 s")
                .contains("Check kafka.bootstrap").contains("Nothing was started");
        assertThat(took).isLessThan(Duration.ofSeconds(15));
    }
}
