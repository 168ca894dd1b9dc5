package io.dualsync.launcher.verify;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Prints verify's results: a table with a line per verified direction (rows in scope on the
 * source, rows on the target, the count of each difference, time taken) followed by the listed
 * keys of each difference and, with {@code --show-values}, the differing columns; or the same
 * as one JSON document for scripts.
 */
final class VerifyReport {

    private VerifyReport() {
    }

    static void printTable(List<DirectionResult> results, PrintWriter out) {
        String format = "%-24s %-8s %12s %12s %12s %12s %12s %12s %10s  %s%n";
        out.printf(format, "map", "dir", "source rows", "target rows", "missing", "extra", "differing", "unmappable",
                "time", "in sync");
        for (DirectionResult r : results) {
            Tally t = r.tally();
            out.printf(format, r.direction().map().name(), r.direction().label(), count(t.sourceRowsInScope),
                    count(t.targetRows), count(t.count(Category.MISSING_ON_TARGET)), count(t.count(Category.EXTRA_ON_TARGET)),
                    count(t.count(Category.DIFFERING)), count(t.count(Category.UNMAPPABLE)),
                    String.format(Locale.ROOT, "%.1f s", r.took().toMillis() / 1000.0), t.inSync() ? "yes" : "NO");
        }
        for (DirectionResult r : results) {
            Tally t = r.tally();
            if (t.inSync()) {
                continue;
            }
            out.printf("%n%s %s (%s -> %s):%n", r.direction().map().name(), r.direction().label(), r.sourceTable(), r.targetTable());
            for (Category c : Category.values()) {
                if (t.count(c) == 0) {
                    continue;
                }
                List<Tally.ReportedKey> keys = t.keys(c);
                out.printf("  %s: %,d%s%n", c.label(), t.count(c),
                        keys.size() < t.count(c) ? " (first " + keys.size() + " listed)" : "");
                for (Tally.ReportedKey key : keys) {
                    out.printf("    %s%n", describe(key));
                }
            }
            for (ValueDifferences.Row row : r.values()) {
                out.printf("  values of target key %s:%n", row.targetKey());
                if (row.columns().isEmpty()) {
                    out.println("    (no longer differs, or one side no longer has the row)");
                }
                for (ValueDifferences.Column col : row.columns()) {
                    out.printf("    %s: source maps to %s, target holds %s%n", col.name(), quoted(col.expected()),
                            quoted(col.actual()));
                }
            }
        }
        out.flush();
    }

    static void printJson(List<DirectionResult> results, boolean inSync, PrintWriter out) {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("inSync", inSync);
        List<Object> directions = new ArrayList<>();
        for (DirectionResult r : results) {
            Tally t = r.tally();
            Map<String, Object> d = new LinkedHashMap<>();
            d.put("map", r.direction().map().name());
            d.put("direction", r.direction().label());
            d.put("sourceTable", r.sourceTable());
            d.put("targetTable", r.targetTable());
            d.put("inSync", t.inSync());
            d.put("sourceRowsInScope", t.sourceRowsInScope);
            d.put("sourceRowsOutOfScope", t.sourceRowsOutOfScope);
            d.put("targetRows", t.targetRows);
            d.put("matching", t.matching);
            d.put("targetRowsNotExpected", t.targetRowsNotExpected);
            d.put("millis", r.took().toMillis());
            Map<String, Object> categories = new LinkedHashMap<>();
            for (Category c : Category.values()) {
                Map<String, Object> cat = new LinkedHashMap<>();
                cat.put("count", t.count(c));
                cat.put("keys", t.keys(c));
                categories.put(camel(c), cat);
            }
            d.put("differences", categories);
            if (!r.values().isEmpty()) {
                d.put("values", r.values());
            }
            directions.add(d);
        }
        doc.put("directions", directions);
        try {
            out.println(new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(doc));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("the report always serializes", e);
        }
        out.flush();
    }

    private static String describe(Tally.ReportedKey key) {
        if (key.targetKey() == null) {
            return "source key " + key.sourceKey();
        }
        return key.sourceKey() == null ? "target key " + key.targetKey()
                : "target key " + key.targetKey() + " (source key " + key.sourceKey() + ")";
    }

    private static String quoted(String text) {
        return text == null ? "NULL" : "'" + text + "'";
    }

    private static String count(long n) {
        return String.format(Locale.ROOT, "%,d", n);
    }

    private static String camel(Category c) {
        String[] parts = c.name().toLowerCase(Locale.ROOT).split("_");
        StringBuilder b = new StringBuilder(parts[0]);
        for (int i = 1; i < parts.length; i++) {
            b.append(Character.toUpperCase(parts[i].charAt(0))).append(parts[i].substring(1));
        }
        return b.toString();
    }
}
