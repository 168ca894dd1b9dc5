package io.dualsync.apply.dlt;

import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The text {@code dualsync dlt list} prints: counts per map and error class, then one line per
 * record with where it sits, when and why it failed. Only headers are shown, which hold no row
 * values ({@code dualsync dlt show} decodes a record's values for an operator who asks).
 */
public final class DeadLetterListing {

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss'Z'").withZone(ZoneOffset.UTC);
    /** Messages are cut to this many characters in the table. */
    static final int MESSAGE_WIDTH = 80;

    private DeadLetterListing() {
    }

    /** The whole listing of {@code records} (already filtered) of {@code topic}. */
    public static String format(String topic, List<DeadLetterRecord> records) {
        StringBuilder out = new StringBuilder();
        if (records.isEmpty()) {
            return out.append(topic).append(": no dead letters match\n").toString();
        }
        out.append(topic).append(": ").append(records.size()).append(" dead letter(s)\n\n");
        Map<List<String>, Integer> counts = new TreeMap<>((a, b) -> a.get(0).equals(b.get(0))
                ? a.get(1).compareTo(b.get(1)) : a.get(0).compareTo(b.get(0)));
        for (DeadLetterRecord r : records) {
            counts.merge(List.of(r.map(), shortClass(r.errorClass())), 1, Integer::sum);
        }
        List<List<String>> summary = new ArrayList<>();
        summary.add(List.of("MAP", "CLASS", "COUNT"));
        counts.forEach((k, n) -> summary.add(List.of(k.get(0), k.get(1), Integer.toString(n))));
        table(out, summary);
        out.append('\n');
        List<List<String>> rows = new ArrayList<>();
        rows.add(List.of("PARTITION", "OFFSET", "FAILED AT", "MAP", "STAGE", "CLASS", "SQLSTATE", "ATTEMPTS", "MESSAGE"));
        for (DeadLetterRecord r : records) {
            rows.add(List.of(Integer.toString(r.partition()), Long.toString(r.offset()), TIME.format(r.failedAt()),
                    r.map(), r.stage(), shortClass(r.errorClass()), r.sqlState(),
                    orEmpty(r.header(io.dualsync.contract.Headers.ATTEMPTS)), shorten(r.message())));
        }
        table(out, rows);
        return out.toString();
    }

    /** A transform exception class by its simple name; apply's classes as they are. */
    static String shortClass(String errorClass) {
        int dot = errorClass.lastIndexOf('.');
        return dot < 0 ? errorClass : errorClass.substring(dot + 1);
    }

    /** One line, at most {@link #MESSAGE_WIDTH} characters. */
    static String shorten(String message) {
        String line = message.replaceAll("\\s+", " ").trim();
        return line.length() <= MESSAGE_WIDTH ? line : line.substring(0, MESSAGE_WIDTH - 1) + "…";
    }

    private static void table(StringBuilder out, List<List<String>> rows) {
        int columns = rows.getFirst().size();
        int[] width = new int[columns];
        for (List<String> row : rows) {
            for (int i = 0; i < columns; i++) {
                width[i] = Math.max(width[i], row.get(i).length());
            }
        }
        for (List<String> row : rows) {
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < columns; i++) {
                line.append(i == columns - 1 ? row.get(i) : pad(row.get(i), width[i])).append(i == columns - 1 ? "" : "  ");
            }
            out.append(line.toString().stripTrailing()).append('\n');
        }
    }

    private static String pad(String s, int width) {
        return s + " ".repeat(width - s.length());
    }

    private static String orEmpty(String s) {
        return s == null ? "" : s;
    }
}
