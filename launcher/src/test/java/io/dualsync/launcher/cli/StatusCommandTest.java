package io.dualsync.launcher.cli;

import org.junit.jupiter.api.Test;

import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class StatusCommandTest {

    private static final Instant NOW = Instant.parse("2026-11-30T15:00:00Z");

    @Test
    void shouldReadAnAgeOrAnInstantAsSince() {
        assertThat(StatusCommand.since("1h", NOW)).isEqualTo(Instant.parse("2026-11-30T14:00:00Z"));
        assertThat(StatusCommand.since("15m", NOW)).isEqualTo(Instant.parse("2026-11-30T14:45:00Z"));
        assertThat(StatusCommand.since("7d", NOW)).isEqualTo(Instant.parse("2026-11-23T15:00:00Z"));
        assertThat(StatusCommand.since("2026-11-30T09:30:00Z", NOW)).isEqualTo(Instant.parse("2026-11-30T09:30:00Z"));
    }

    @Test
    void shouldRefuseASinceItCannotRead() {
        assertThatThrownBy(() -> StatusCommand.since("yesterday", NOW))
                .hasMessage("--since 'yesterday' is neither an age (15m, 1h, 7d) nor an instant (2026-11-30T14:00:00Z)");
    }
}
