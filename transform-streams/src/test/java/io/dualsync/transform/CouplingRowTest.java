package io.dualsync.transform;

import io.dualsync.config.Side;
import org.apache.kafka.streams.KeyValue;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** What a referenced map's row publishes to the couplings, and retracts when it changes or goes. */
class CouplingRowTest {

    private static final String K1 = "[\"C-1001\"]";
    private static final String K2 = "[\"C-1002\"]";

    @Test
    void shouldPublishTheIdentifierByCoupledKeyAndTheCoupledKeyByIdentifier() {
        List<KeyValue<String, String>> out = CouplingRow.changes(Side.A, null, new CouplingRow(K1, Map.of("id", "7"), true));

        assertThat(out).containsExactly(
                KeyValue.pair(CouplingEntries.byRow(Side.A, "id", K1), "7"),
                KeyValue.pair(CouplingEntries.byValue(Side.A, "id", "7"), K1));
    }

    @Test
    void shouldMarkTheIdentifierOfARowOutOfScopeButKeepItsRowEntry() {
        CouplingRow inScope = new CouplingRow(K1, Map.of("id", "7"), true);

        List<KeyValue<String, String>> out = CouplingRow.changes(Side.A, inScope, new CouplingRow(K1, Map.of("id", "7"), false));

        assertThat(out).containsExactly(KeyValue.pair(CouplingEntries.byValue(Side.A, "id", "7"), CouplingEntries.OUT_OF_SCOPE));
    }

    @Test
    void shouldRetractTheOldEntriesWhenTheCoupledKeyOrTheIdentifierChanges() {
        CouplingRow before = new CouplingRow(K1, Map.of("id", "7"), true);

        assertThat(CouplingRow.changes(Side.B, before, new CouplingRow(K2, Map.of("id", "7"), true))).containsExactly(
                KeyValue.pair(CouplingEntries.byRow(Side.B, "id", K1), null),
                KeyValue.pair(CouplingEntries.byRow(Side.B, "id", K2), "7"),
                KeyValue.pair(CouplingEntries.byValue(Side.B, "id", "7"), K2));
        assertThat(CouplingRow.changes(Side.B, before, new CouplingRow(K1, Map.of("id", "8"), true))).containsExactly(
                KeyValue.pair(CouplingEntries.byValue(Side.B, "id", "7"), null),
                KeyValue.pair(CouplingEntries.byRow(Side.B, "id", K1), "8"),
                KeyValue.pair(CouplingEntries.byValue(Side.B, "id", "8"), K1));
    }

    @Test
    void shouldRetractEverythingOnDeleteAndPublishNothingForANullIdentifier() {
        CouplingRow before = new CouplingRow(K1, Map.of("id", "7"), true);

        assertThat(CouplingRow.changes(Side.A, before, null)).containsExactly(
                KeyValue.pair(CouplingEntries.byRow(Side.A, "id", K1), null),
                KeyValue.pair(CouplingEntries.byValue(Side.A, "id", "7"), null));
        java.util.Map<String, String> none = new java.util.HashMap<>();
        none.put("id", null);
        assertThat(CouplingRow.changes(Side.A, null, new CouplingRow(K1, none, true))).isEmpty();
    }
}
