package io.dualsync.transform;

import io.dualsync.config.Side;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.kafka.streams.KeyValue;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What one row of a referenced map's side contributes to the map's couplings: its coupled key,
 * the identifiers it holds in the referenced columns (canonical text), whether it is in the
 * map's scope on its side, and the values of its columns that child filters test (numbers and
 * booleans as they are, other values in canonical text). Kept per source row ({@code <flow>.coupling-rows}) so that a change
 * can retract what the row's previous state published.
 */
record CouplingRow(String coupledKey, Map<String, String> values, boolean inScope, Map<String, Object> tested) {

    private static final ObjectMapper JSON = new ObjectMapper();

    CouplingRow {
        values = new LinkedHashMap<>(values);
        // null in rows stored before child filters could test a parent's columns
        tested = tested == null ? Map.of() : new LinkedHashMap<>(tested);
    }

    CouplingRow(String coupledKey, Map<String, String> values, boolean inScope) {
        this(coupledKey, values, inScope, Map.of());
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
        String tested = row.tested.isEmpty() ? null : json(row.tested);
        row.values.forEach((column, value) -> {
            if (value != null) {
                entries.put(CouplingEntries.byRow(side, column, row.coupledKey), value);
                entries.put(CouplingEntries.byValue(side, column, value), row.inScope ? row.coupledKey : CouplingEntries.OUT_OF_SCOPE);
                if (tested != null) {
                    entries.put(CouplingEntries.parentRow(side, column, value), tested);
                }
            }
        });
        return entries;
    }

    private static String json(Map<String, Object> columns) {
        try {
            return JSON.writeValueAsString(columns);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("a parent row's tested columns could not be written as JSON", e);
        }
    }

    /** The tested columns of a parent row as {@link #entries} wrote them; numbers come back as numbers. */
    static Map<String, Object> parseTested(String json) {
        try {
            return JSON.readerFor(Map.class).with(com.fasterxml.jackson.databind.DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
                    .readValue(json);
        } catch (java.io.IOException e) {
            throw new IllegalStateException("a parent row in the couplings store is not JSON", e);
        }
    }
}
