package io.dualsync.apply.dlt;

import io.dualsync.contract.Headers;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class DeadLetterListingTest {

    @Test
    void shouldCountPerMapAndClassAndListEveryRecordWithoutValues() {
        List<DeadLetterRecord> records = List.of(
                DeadLetterRecords.of(0, 5, "customers", "permanent", "2026-11-30T10:00:00Z",
                        Map.of(Headers.CONFLICT_TARGET_IMAGE, "{\"name\":\"Alice (local)\"}")),
                DeadLetterRecords.of(0, 7, "customers", "permanent", "2026-11-30T10:05:00Z", Map.of()),
                DeadLetterRecords.of(1, 2, "contacts", "io.dualsync.transform.MappingException", "2026-11-30T11:00:00Z", Map.of()));

        String listing = DeadLetterListing.format("dualsync.dlt.erp", records);

        assertThat(listing).startsWith("dualsync.dlt.erp: 3 dead letter(s)")
                .containsPattern("contacts\\s+MappingException\\s+1")
                .containsPattern("customers\\s+permanent\\s+2")
                .containsPattern("0\\s+5\\s+2026-11-30 10:00:00Z\\s+customers\\s+apply\\s+permanent\\s+22001\\s+2\\s+value too long")
                .doesNotContain("Alice");
    }

    @Test
    void shouldSaySoWhenNothingMatches() {
        assertThat(DeadLetterListing.format("dualsync.dlt.erp", List.of())).isEqualTo("dualsync.dlt.erp: no dead letters match\n");
    }

    @Test
    void shouldCutLongMessagesToOneShortLine() {
        String shortened = DeadLetterListing.shorten("a\nb " + "x".repeat(200));

        assertThat(shortened).startsWith("a b x").hasSize(DeadLetterListing.MESSAGE_WIDTH).endsWith("…");
    }
}
