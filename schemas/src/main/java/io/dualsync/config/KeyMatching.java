package io.dualsync.config;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * How the key values of two rows must agree for a map to couple them (match-based coupling,
 * setting {@code keyMatching} of a map): {@code exact} (the default), {@code ignore-case},
 * {@code trim} (leading and trailing spaces do not count) or {@code ignore-case-trim}. Only text
 * values are affected; other types always match exactly. A matched row keeps its own key: the
 * other side's spelling is never written over it.
 */
public enum KeyMatching {
    EXACT("exact", false, false),
    IGNORE_CASE("ignore-case", true, false),
    TRIM("trim", false, true),
    IGNORE_CASE_TRIM("ignore-case-trim", true, true);

    private final String configName;
    private final boolean ignoreCase;
    private final boolean trim;

    KeyMatching(String configName, boolean ignoreCase, boolean trim) {
        this.configName = configName;
        this.ignoreCase = ignoreCase;
        this.trim = trim;
    }

    /** The spelling in the configuration file, e.g. {@code ignore-case-trim}. */
    public String configName() {
        return configName;
    }

    public static Optional<KeyMatching> of(String configName) {
        for (KeyMatching m : values()) {
            if (m.configName.equals(configName)) {
                return Optional.of(m);
            }
        }
        return Optional.empty();
    }

    public boolean isExact() {
        return this == EXACT;
    }

    public boolean ignoresCase() {
        return ignoreCase;
    }

    public boolean trims() {
        return trim;
    }

    /**
     * The form two key values are compared in: text trimmed of spaces and/or lower-cased
     * (language-neutral, as SQL's {@code LOWER(TRIM(..))} reads it), anything else unchanged.
     * Equal forms couple the rows.
     */
    public Object comparable(Object value) {
        if (!(value instanceof String text) || this == EXACT) {
            return value;
        }
        String s = trim ? trimSpaces(text) : text;
        return ignoreCase ? s.toLowerCase(Locale.ROOT) : s;
    }

    /** Leading and trailing U+0020 spaces removed, as SQL's {@code TRIM} does. */
    private static String trimSpaces(String text) {
        int from = 0;
        int to = text.length();
        while (from < to && text.charAt(from) == ' ') {
            from++;
        }
        while (to > from && text.charAt(to - 1) == ' ') {
            to--;
        }
        return text.substring(from, to);
    }

    /**
     * A copy of a row image in which the given key columns hold their {@link #comparable} form, so
     * that the images of two coupled rows whose keys are spelled differently hash alike.
     */
    public Map<String, Object> comparableImage(Map<String, ?> image, Collection<String> keyColumns) {
        Map<String, Object> copy = new LinkedHashMap<>(image);
        if (this != EXACT) {
            for (String column : keyColumns) {
                if (copy.containsKey(column)) {
                    copy.put(column, comparable(copy.get(column)));
                }
            }
        }
        return copy;
    }
}
