package io.dualsync.apply.dlt;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DeadLetterFilterTest {

    private final DeadLetterRecord customers = DeadLetterRecords.of(0, 5, "customers", "permanent", "2026-11-30T10:00:00Z", Map.of());
    private final DeadLetterRecord transform = DeadLetterRecords.of(0, 6, "contacts",
            "io.dualsync.transform.MappingException", "2026-11-30T12:00:00Z", Map.of());

    @Test
    void shouldSelectEverythingWithoutCriteria() {
        assertThat(DeadLetterFilter.ALL.matches(customers)).isTrue();
        assertThat(DeadLetterFilter.ALL.matches(transform)).isTrue();
    }

    @Test
    void shouldSelectByMapClassAndTime() {
        DeadLetterFilter byMap = new DeadLetterFilter(Optional.of("customers"), Optional.empty(), Optional.empty(), Optional.empty(), Set.of());
        DeadLetterFilter byClass = new DeadLetterFilter(Optional.empty(), Optional.of("MappingException"), Optional.empty(), Optional.empty(), Set.of());
        DeadLetterFilter window = new DeadLetterFilter(Optional.empty(), Optional.empty(),
                Optional.of(Instant.parse("2026-11-30T11:00:00Z")), Optional.of(Instant.parse("2026-11-30T12:00:00Z")), Set.of());
        DeadLetterFilter since = new DeadLetterFilter(Optional.empty(), Optional.empty(),
                Optional.of(Instant.parse("2026-11-30T11:00:00Z")), Optional.empty(), Set.of());

        assertThat(byMap.matches(customers)).isTrue();
        assertThat(byMap.matches(transform)).isFalse();
        assertThat(byClass.matches(transform)).isTrue();
        assertThat(byClass.matches(customers)).isFalse();
        assertThat(window.matches(transform)).as("until is exclusive").isFalse();
        assertThat(since.matches(transform)).isTrue();
        assertThat(since.matches(customers)).isFalse();
    }

    @Test
    void shouldSelectByPositionWithABareOffsetMeaningPartitionZero() {
        DeadLetterFilter byOffset = new DeadLetterFilter(Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(),
                Set.of(DeadLetterFilter.position("5"), DeadLetterFilter.position("1:6")));

        assertThat(byOffset.matches(customers)).isTrue();
        assertThat(byOffset.matches(transform)).isFalse();
        assertThatThrownBy(() -> DeadLetterFilter.position("five")).hasMessageContaining("PARTITION:OFFSET");
    }
}
