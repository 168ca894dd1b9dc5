package io.dualsync.synclog;

import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class MinuteAggregatorTest {

    /** A clock the test moves by hand. */
    private static final class ManualClock extends Clock {
        Instant now;

        ManualClock(Instant now) {
            this.now = now;
        }

        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    private final ManualClock clock = new ManualClock(Instant.parse("2026-11-30T15:04:10Z"));
    private final MinuteAggregator minutes = new MinuteAggregator(clock, "host/1");

    @Test
    void shouldAddUpEachMapsOutcomesPerMinute() {
        minutes.written("apply[erp]", "customers", Outcome.INSERTED, Duration.ofMillis(40));
        minutes.written("apply[erp]", "customers", Outcome.INSERTED, Duration.ofMillis(20));
        minutes.written("apply[erp]", "customers", Outcome.UPDATED, Duration.ofMillis(900));
        minutes.count("apply[erp]", "customers", Outcome.DUPLICATE, 3);
        minutes.count("apply[erp]", "items", Outcome.FAILED, 1);
        clock.now = Instant.parse("2026-11-30T15:05:00Z");
        minutes.written("apply[erp]", "customers", Outcome.DELETED, Duration.ofMillis(5));

        List<SyncLogEntry> ended = minutes.drainEndedMinutes();

        assertThat(ended).hasSize(2);
        SyncLogEntry customers = ended.stream().filter(e -> e.map().equals("customers")).findFirst().orElseThrow();
        assertThat(customers.minute()).isEqualTo(Instant.parse("2026-11-30T15:04:00Z"));
        assertThat(customers.service()).isEqualTo("apply[erp]");
        assertThat(customers.instance()).isEqualTo("host/1");
        assertThat(customers.count(Outcome.INSERTED)).isEqualTo(2);
        assertThat(customers.count(Outcome.UPDATED)).isEqualTo(1);
        assertThat(customers.count(Outcome.DUPLICATE)).isEqualTo(3);
        assertThat(customers.count(Outcome.DELETED)).isZero();
        assertThat(customers.latencyCount()).isEqualTo(3);
        assertThat(customers.p50Ms()).isEqualTo(40);
        assertThat(customers.p99Ms()).isEqualTo(900);
        assertThat(customers.maxMs()).isEqualTo(900);
        SyncLogEntry items = ended.stream().filter(e -> e.map().equals("items")).findFirst().orElseThrow();
        assertThat(items.count(Outcome.FAILED)).isEqualTo(1);
        assertThat(items.p50Ms()).isNull();
    }

    @Test
    void shouldKeepTheCurrentMinuteUntilItIsOverOrEverythingIsDrained() {
        minutes.written("transform", "customers", Outcome.UPDATED, null);
        minutes.count("transform", "customers", Outcome.ECHO, 2);

        assertThat(minutes.drainEndedMinutes()).isEmpty();
        List<SyncLogEntry> all = minutes.drainAll();
        assertThat(all).singleElement().satisfies(e -> {
            assertThat(e.count(Outcome.ECHO)).isEqualTo(2);
            assertThat(e.count(Outcome.UPDATED)).isEqualTo(1);
            assertThat(e.latencyCount()).isZero();
        });
        assertThat(minutes.drainAll()).isEmpty();
    }

    @Test
    void shouldKeepServicesApart() {
        minutes.count("apply[a]", "customers", Outcome.FAILED, 1);
        minutes.count("apply[b]", "customers", Outcome.FAILED, 1);
        assertThat(minutes.drainAll()).extracting(SyncLogEntry::service).containsExactlyInAnyOrder("apply[a]", "apply[b]");
    }
}
