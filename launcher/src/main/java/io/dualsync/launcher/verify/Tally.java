package io.dualsync.launcher.verify;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * What the comparison of one direction found: row counts, the count of each {@link Category}
 * and the first {@code maxKeys} keys of each. Keys are listed (stdout), never logged.
 */
final class Tally {

    /** A reported row: its target key (row key text) and, when the source has it, its source key. */
    record ReportedKey(String targetKey, String sourceKey) {
    }

    private final int maxKeys;
    private final Map<Category, Long> counts = new EnumMap<>(Category.class);
    private final Map<Category, List<ReportedKey>> keys = new EnumMap<>(Category.class);
    long sourceRowsInScope;
    long sourceRowsOutOfScope;
    long targetRows;
    long matching;
    /** target rows without an in-scope source row that are not a difference (see {@link BucketComparison}) */
    long targetRowsNotExpected;

    Tally(int maxKeys) {
        this.maxKeys = maxKeys;
        for (Category c : Category.values()) {
            counts.put(c, 0L);
            keys.put(c, new ArrayList<>());
        }
    }

    void add(Category category, String targetKey, String sourceKey) {
        counts.merge(category, 1L, Long::sum);
        List<ReportedKey> listed = keys.get(category);
        if (listed.size() < maxKeys) {
            listed.add(new ReportedKey(targetKey, sourceKey));
        }
    }

    long count(Category category) {
        return counts.get(category);
    }

    List<ReportedKey> keys(Category category) {
        return List.copyOf(keys.get(category));
    }

    long differences() {
        return counts.values().stream().mapToLong(Long::longValue).sum();
    }

    boolean inSync() {
        return differences() == 0;
    }
}
