package io.dualsync.synclog;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Collections;
import java.util.EnumMap;
import java.util.Iterator;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;

/**
 * One record of the sync log ({@code dualsync.sync-log}): what one service instance did with
 * the changes of one map in one minute. Written as a JSON object (see README, "Sync log"):
 * <pre>
 * {"map":"customers","service":"apply[erp]","instance":"host/1234","minute":"2026-11-30T15:04:00Z",
 *  "inserted":3,"updated":5,"deleted":1,"duplicates":0,"echoes":0,"conflicts":0,"failed":1,
 *  "unchanged":0,"filtered":0,
 *  "latency":{"count":9,"p50Ms":41,"p99Ms":180,"maxMs":180,"histogram":{"38":4,"41":1,"180":4}}}
 * </pre>
 * Every {@link Outcome} has its field, zero included, so scripts can rely on them. The latency is
 * measured from the source transaction's commit to the target transaction's commit, over the
 * changes that wrote to the target (inserted, updated, deleted); absent percentiles are
 * {@code null}. The record key is {@link #key()}.
 *
 * @param map      the table map
 * @param service  {@code transform} or {@code apply[<target endpoint>]}
 * @param instance the process that counted ({@code host/pid}): several instances of a service
 *                 each write their own records, and readers add them up
 * @param minute   the start of the minute (UTC) the changes were counted in
 * @param counts   changes per outcome
 * @param latencyCount how many latencies were measured
 * @param p50Ms    exact median latency of the minute, ms
 * @param p99Ms    exact 99th percentile latency of the minute, ms
 * @param maxMs    largest latency of the minute, ms
 * @param histogram latency count per bucket upper bound (ms, three significant digits), for merging minutes
 */
public record SyncLogEntry(String map, String service, String instance, Instant minute, Map<Outcome, Long> counts,
                           long latencyCount, Long p50Ms, Long p99Ms, Long maxMs, NavigableMap<Long, Long> histogram) {

    private static final ObjectMapper JSON = new ObjectMapper();

    public SyncLogEntry {
        EnumMap<Outcome, Long> all = new EnumMap<>(Outcome.class);
        for (Outcome o : Outcome.values()) {
            all.put(o, counts.getOrDefault(o, 0L));
        }
        counts = Collections.unmodifiableMap(all);
        histogram = Collections.unmodifiableNavigableMap(new TreeMap<>(histogram));
    }

    public long count(Outcome outcome) {
        return counts.get(outcome);
    }

    /** {@code <map>|<minute>|<service>|<instance>}: one record per map, minute, service and instance. */
    public String key() {
        return map + "|" + minute + "|" + service + "|" + instance;
    }

    public byte[] toJson() {
        ObjectNode node = JSON.createObjectNode();
        node.put("map", map);
        node.put("service", service);
        node.put("instance", instance);
        node.put("minute", minute.toString());
        for (Outcome o : Outcome.values()) {
            node.put(o.field(), count(o));
        }
        ObjectNode latency = node.putObject("latency");
        latency.put("count", latencyCount);
        latency.put("p50Ms", p50Ms);
        latency.put("p99Ms", p99Ms);
        latency.put("maxMs", maxMs);
        ObjectNode buckets = latency.putObject("histogram");
        histogram.forEach((bound, n) -> buckets.put(Long.toString(bound), n));
        try {
            return JSON.writeValueAsBytes(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write a sync-log record", e);
        }
    }

    /**
     * @throws IllegalArgumentException when the bytes are not a sync-log record
     */
    public static SyncLogEntry fromJson(byte[] json) {
        try {
            JsonNode node = JSON.readTree(json);
            EnumMap<Outcome, Long> counts = new EnumMap<>(Outcome.class);
            for (Outcome o : Outcome.values()) {
                counts.put(o, node.path(o.field()).asLong(0));
            }
            JsonNode latency = node.path("latency");
            NavigableMap<Long, Long> histogram = new TreeMap<>();
            Iterator<Map.Entry<String, JsonNode>> buckets = latency.path("histogram").fields();
            while (buckets.hasNext()) {
                Map.Entry<String, JsonNode> b = buckets.next();
                histogram.put(Long.parseLong(b.getKey()), b.getValue().asLong());
            }
            return new SyncLogEntry(text(node, "map"), text(node, "service"), text(node, "instance"),
                    Instant.parse(text(node, "minute")), counts, latency.path("count").asLong(0),
                    optionalLong(latency, "p50Ms"), optionalLong(latency, "p99Ms"), optionalLong(latency, "maxMs"), histogram);
        } catch (java.io.IOException | RuntimeException e) {
            throw new IllegalArgumentException("not a sync-log record: " + e.getMessage(), e);
        }
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        if (value == null || !value.isTextual()) {
            throw new IllegalArgumentException("field '" + field + "' missing");
        }
        return value.asText();
    }

    private static Long optionalLong(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value == null || value.isNull() ? null : value.asLong();
    }

    /** Charset of the record key. */
    public static byte[] keyBytes(String key) {
        return key.getBytes(StandardCharsets.UTF_8);
    }
}
