package io.dualsync.launcher.status;

import io.dualsync.config.SyncConfig;
import io.dualsync.config.TableMap;
import io.dualsync.contract.Headers;
import io.dualsync.contract.KafkaClients;
import io.dualsync.contract.Topics;
import io.dualsync.launcher.Pipeline;
import io.dualsync.synclog.SyncLogEntry;
import io.dualsync.transform.TransformService;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * What {@code dualsync status} shows, read from the broker: the sync log of the config's maps
 * since a time (totals per map, and per map and minute), the records in each target's
 * dead-letter topic (per map), and the consumer lag of each apply group and of the transform.
 *
 * @param since       first minute included
 * @param until       when the report was made
 * @param maps        totals per map, in config order (every map of the config, zeros included)
 * @param minutes     totals per map and minute, by map then minute
 * @param deadLetters per target endpoint
 * @param lag         per consumer group
 */
public record StatusReport(Instant since, Instant until, Map<String, MapTotals> maps,
                           Map<String, Map<Instant, MapTotals>> minutes, List<DeadLetters> deadLetters, List<Lag> lag) {

    private static final Logger LOG = LoggerFactory.getLogger(StatusReport.class);

    /** The records of one dead-letter topic, per map ({@code ""}: records without a map header). */
    public record DeadLetters(String target, String topic, long records, Map<String, Long> byMap) {
    }

    /**
     * A consumer group's lag: offsets not yet committed, summed over its partitions; {@code null}
     * when the group has committed nothing. Counts offsets, so transaction markers count too.
     */
    public record Lag(String group, Long lag, int partitions) {
    }

    /**
     * @throws BrokerUnreachableException when the broker does not answer within {@code timeout}
     */
    public static StatusReport read(SyncConfig config, Instant since, Duration timeout) {
        Instant now = Instant.now();
        Instant firstMinute = since.truncatedTo(ChronoUnit.MINUTES);
        Map<String, Object> adminProps = KafkaClients.common(config.kafka());
        adminProps.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) timeout.toMillis());
        adminProps.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) timeout.toMillis());
        try (Admin admin = Admin.create(adminProps)) {
            try {
                admin.describeCluster().nodes().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            } catch (ExecutionException | java.util.concurrent.TimeoutException e) {
                throw new BrokerUnreachableException("cannot reach the Kafka broker at " + config.kafka().bootstrap()
                        + " within " + timeout.toSeconds() + " s (" + (e.getCause() == null ? e : e.getCause()).getClass().getSimpleName()
                        + "); check kafka.bootstrap in " + config.source() + " and that the broker runs", e);
            }
            TopicScan scan = new TopicScan(config.kafka(), timeout);
            Map<String, MapTotals> maps = new LinkedHashMap<>();
            Map<String, Map<Instant, MapTotals>> minutes = new LinkedHashMap<>();
            for (TableMap m : config.maps()) {
                maps.put(m.name(), new MapTotals());
                minutes.put(m.name(), new TreeMap<>());
            }
            // entries are published after their minute ends: start a little earlier and filter by minute
            scan.read(Topics.SYNC_LOG, firstMinute.minus(Duration.ofMinutes(2)), record -> {
                SyncLogEntry entry;
                try {
                    entry = SyncLogEntry.fromJson(record.value());
                } catch (IllegalArgumentException e) {
                    LOG.warn("skipping an unreadable sync-log record at partition {} offset {}", record.partition(), record.offset());
                    return;
                }
                if (!maps.containsKey(entry.map()) || entry.minute().isBefore(firstMinute)) {
                    return;
                }
                maps.get(entry.map()).add(entry);
                minutes.get(entry.map()).computeIfAbsent(entry.minute(), k -> new MapTotals()).add(entry);
            });
            List<DeadLetters> deadLetters = new ArrayList<>();
            for (String target : Pipeline.targetEndpoints(config)) {
                String topic = Topics.deadLetter(target);
                Map<String, Long> byMap = new TreeMap<>();
                long records = scan.read(topic, null, r -> byMap.merge(header(r.headers().lastHeader(Headers.MAP)), 1L, Long::sum));
                deadLetters.add(new DeadLetters(target, topic, records, byMap));
            }
            List<Lag> lag = new ArrayList<>();
            for (String target : Pipeline.targetEndpoints(config)) {
                lag.add(lag(admin, config.kafka().applyGroupId(target), timeout));
            }
            lag.add(lag(admin, config.kafka().transformApplicationId(), timeout));
            return new StatusReport(firstMinute, now, maps, minutes, deadLetters, lag);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while reading the status", e);
        } catch (org.apache.kafka.common.errors.TimeoutException e) {
            throw new BrokerUnreachableException("the Kafka broker at " + config.kafka().bootstrap()
                    + " did not answer within " + timeout.toSeconds() + " s", e);
        }
    }

    private static Lag lag(Admin admin, String group, Duration timeout) throws InterruptedException {
        try {
            Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(group)
                    .partitionsToOffsetAndMetadata().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            committed.values().removeIf(java.util.Objects::isNull);
            if (committed.isEmpty()) {
                return new Lag(group, null, 0);
            }
            Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
            committed.keySet().forEach(p -> latest.put(p, OffsetSpec.latest()));
            Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> end = admin.listOffsets(latest).all()
                    .get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            long lag = 0;
            for (Map.Entry<TopicPartition, OffsetAndMetadata> c : committed.entrySet()) {
                lag += Math.max(0, end.get(c.getKey()).offset() - c.getValue().offset());
            }
            return new Lag(group, lag, committed.size());
        } catch (ExecutionException | java.util.concurrent.TimeoutException e) {
            LOG.warn("cannot read the offsets of consumer group {}: {}", group, e.getClass().getSimpleName());
            return new Lag(group, null, 0);
        }
    }

    private static String header(Header header) {
        return header == null || header.value() == null ? "" : new String(header.value(), StandardCharsets.UTF_8);
    }

    /** The broker did not answer; the message says which and what to check. */
    public static final class BrokerUnreachableException extends RuntimeException {
        BrokerUnreachableException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
