package io.dualsync.transform;

import io.dualsync.config.Side;
import org.apache.kafka.streams.KeyValue;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What one row of a referenced map's side contributes to the map's couplings: its coupled key,
 * the identifiers it holds in the referenced columns (canonical text), and whether it is in the
 * map's scope on its side. Kept per source row ({@code <flow>.coupling-rows}) so that a change
 * can retract what the row's previous state published.
 */
record CouplingRow(String coupledKey, Map<String, String> values, boolean inScope) {

    CouplingRow {
        values = new LinkedHashMap<>(values);
    }

    /**
     * The couplings records that take the store from {@code before} to {@code after} (either may be
     * null: no row): tombstones (null values) for entries {@code after} no longer has, then the
     * entries it has that differ from {@code before}'s.
     */
    static List<KeyValue<String, String>> changes(Side side, CouplingRow before, CouplingRow after) {
        Map<String, String> old = entries(side, before);
        Map<String, String> now = entries(side, after);
        List<KeyValue<String, String>> out = new ArrayList<>();
        old.keySet().stream().filter(k -> !now.containsKey(k)).forEach(k -> out.add(KeyValue.pair(k, null)));
        now.forEach((k, v) -> {
            if (!Objects.equals(old.get(k), v)) {
                out.add(KeyValue.pair(k, v));
            }
        });
        return out;
    }

    private static Map<String, String> entries(Side side, CouplingRow row) {
        Map<String, String> entries = new LinkedHashMap<>();
        if (row == null) {
            return entries;
        }
        row.values.forEach((column, value) -> {
            if (value != null) {
                entries.put(CouplingEntries.byRow(side, column, row.coupledKey), value);
                entries.put(CouplingEntries.byValue(side, column, value), row.inScope ? row.coupledKey : CouplingEntries.OUT_OF_SCOPE);
            }
        });
        return entries;
    }
}
