package io.dualsync.launcher.status;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dualsync.synclog.Outcome;

import java.io.PrintWriter;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Renders a {@link StatusReport}: a table for people, or JSON for scripts whose field names are
 * those of the sync-log record (see README, "dualsync status").
 */
public final class StatusView {

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private StatusView() {
    }

    public static String json(StatusReport report, boolean byMinute) {
        ObjectNode root = JSON.createObjectNode();
        root.put("since", report.since().toString());
        root.put("until", report.until().toString());
        ArrayNode maps = root.putArray("maps");
        report.maps().forEach((map, totals) -> totals(maps.addObject().put("map", map), totals));
        if (byMinute) {
            ArrayNode minutes = root.putArray("minutes");
            report.minutes().forEach((map, byTime) -> byTime.forEach((minute, totals) ->
                    totals(minutes.addObject().put("map", map).put("minute", minute.toString()), totals)));
        }
        ArrayNode dead = root.putArray("deadLetters");
        for (StatusReport.DeadLetters d : report.deadLetters()) {
            ObjectNode node = dead.addObject().put("target", d.target()).put("topic", d.topic()).put("records", d.records());
            ObjectNode byMap = node.putObject("byMap");
            d.byMap().forEach(byMap::put);
        }
        ArrayNode lag = root.putArray("consumerLag");
        for (StatusReport.Lag l : report.lag()) {
            lag.addObject().put("group", l.group()).put("lag", l.lag()).put("partitions", l.partitions());
        }
        return root.toPrettyString();
    }

    private static void totals(ObjectNode node, MapTotals totals) {
        for (Outcome o : Outcome.values()) {
            node.put(o.field(), totals.counts().get(o));
        }
        node.putObject("latency").put("count", totals.latencyCount()).put("p50Ms", totals.p50Ms()).put("p99Ms", totals.p99Ms());
    }

    public static void table(StatusReport report, boolean byMinute, PrintWriter out) {
        out.printf("Sync log %s to %s (UTC)%n%n", report.since(), report.until().truncatedTo(java.time.temporal.ChronoUnit.SECONDS));
        List<String> header = new ArrayList<>(List.of("MAP"));
        if (byMinute) {
            header.add("MINUTE");
        }
        for (Outcome o : Outcome.values()) {
            header.add(o.field().toUpperCase());
        }
        header.addAll(List.of("P50_MS", "P99_MS"));
        List<List<String>> rows = new ArrayList<>();
        for (Map.Entry<String, MapTotals> m : report.maps().entrySet()) {
            if (byMinute) {
                for (Map.Entry<Instant, MapTotals> minute : report.minutes().get(m.getKey()).entrySet()) {
                    rows.add(row(m.getKey(), minute.getKey().toString().replace(":00Z", "Z"), minute.getValue()));
                }
            }
            rows.add(row(m.getKey(), byMinute ? "total" : null, m.getValue()));
        }
        print(out, header, rows);

        out.printf("%nDead letters%n");
        List<List<String>> dead = new ArrayList<>();
        for (StatusReport.DeadLetters d : report.deadLetters()) {
            String maps = d.byMap().entrySet().stream()
                    .map(e -> (e.getKey().isEmpty() ? "(no map)" : e.getKey()) + "=" + e.getValue()).reduce((a, b) -> a + ", " + b).orElse("");
            dead.add(List.of(d.target(), d.topic(), Long.toString(d.records()), maps));
        }
        print(out, List.of("TARGET", "TOPIC", "RECORDS", "BY MAP"), dead);

        out.printf("%nConsumer lag%n");
        List<List<String>> lag = new ArrayList<>();
        for (StatusReport.Lag l : report.lag()) {
            lag.add(List.of(l.group(), l.lag() == null ? "no offsets committed" : Long.toString(l.lag()), Integer.toString(l.partitions())));
        }
        print(out, List.of("GROUP", "LAG", "PARTITIONS"), lag);
        out.flush();
    }

    private static List<String> row(String map, String minute, MapTotals totals) {
        List<String> row = new ArrayList<>(List.of(map));
        if (minute != null) {
            row.add(minute);
        }
        for (Outcome o : Outcome.values()) {
            row.add(Long.toString(totals.counts().get(o)));
        }
        row.add(totals.p50Ms() == null ? "-" : totals.p50Ms().toString());
        row.add(totals.p99Ms() == null ? "-" : totals.p99Ms().toString());
        return row;
    }

    /** Left-aligned first columns of text, right-aligned numbers. */
    private static void print(PrintWriter out, List<String> header, List<List<String>> rows) {
        int[] width = new int[header.size()];
        for (int i = 0; i < width.length; i++) {
            width[i] = header.get(i).length();
            for (List<String> r : rows) {
                width[i] = Math.max(width[i], r.get(i).length());
            }
        }
        List<List<String>> all = new ArrayList<>();
        all.add(header);
        all.addAll(rows);
        for (List<String> r : all) {
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < r.size(); i++) {
                String cell = r.get(i);
                boolean number = cell.matches("-?\\d+|-") && r != header;
                String pad = " ".repeat(width[i] - cell.length());
                line.append(i == 0 ? "" : "  ").append(number ? pad + cell : cell + pad);
            }
            out.println(line.toString().stripTrailing());
        }
    }
}
