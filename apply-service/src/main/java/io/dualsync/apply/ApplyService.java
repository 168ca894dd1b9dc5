package io.dualsync.apply;

import io.dualsync.catalog.Catalog;
import io.dualsync.config.Endpoint;
import io.dualsync.config.SyncConfig;
import io.dualsync.contract.InsertValues;
import io.dualsync.contract.KafkaClients;
import io.dualsync.contract.Topics;
import io.dualsync.synclog.SyncLog;
import io.dualsync.synclog.SyncLogRecorder;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.sql.SQLException;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Optional;
import java.util.Map;

/**
 * The apply service of one target endpoint: consumes every mapped topic whose target is this
 * endpoint (consumer group {@code <kafka.applicationId>-apply-<endpoint>}, committed reads only) and applies the
 * changes to the endpoint's database idempotently, retrying changes whose parent row is missing
 * through {@code dualsync.retry.<endpoint>} and sending what the database rejects to
 * {@code dualsync.dlt.<endpoint>} ({@link PollLoop}). {@link #start()} checks the database, creates the bookkeeping
 * tables and missing topics, and starts the worker thread; {@link #close()} stops it. If the worker
 * dies, {@link #failure()} says why.
 */
public final class ApplyService implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ApplyService.class);

    private final SyncConfig config;
    private final Endpoint endpoint;
    private final SqlDialect dialect;
    private final List<MappedTopic> topics;
    private final Map<String, BatchApplier> appliers = new LinkedHashMap<>();
    private final ApplyMetrics metrics;
    private final String workerId;
    private final ApplyOptions options;

    private TargetConnection target;
    private ChangeDecoder decoder;
    private KafkaProducer<byte[], byte[]> deadLetters;
    private PollLoop loop;
    private Thread thread;
    private volatile Throwable failure;

    public ApplyService(SyncConfig config, Catalog catalog, String targetEndpoint) {
        this(config, catalog, targetEndpoint, new SimpleMeterRegistry());
    }

    /** @param options how transient and dependent failures are retried */
    public ApplyService(SyncConfig config, Catalog catalog, String targetEndpoint, ApplyOptions options) {
        this(config, catalog, targetEndpoint, new SimpleMeterRegistry(), options);
    }

    /**
     * @throws IllegalArgumentException when the endpoint is unknown or a map cannot be applied to its
     *                                  target table as the catalog describes it
     */
    public ApplyService(SyncConfig config, Catalog catalog, String targetEndpoint, MeterRegistry meters) {
        this(config, catalog, targetEndpoint, meters, ApplyOptions.defaults());
    }

    /** @param options how transient and dependent failures are retried */
    public ApplyService(SyncConfig config, Catalog catalog, String targetEndpoint, MeterRegistry meters,
                        ApplyOptions options) {
        this(config, catalog, targetEndpoint, meters, options,
                SyncLog.inMemory(meters).recorder(syncLogService(targetEndpoint)));
    }

    /**
     * @param options how transient and dependent failures are retried
     * @param syncLog where each change's outcome and latency go (the sync log of {@code dualsync status})
     * @throws IllegalArgumentException when the endpoint is unknown or a map cannot be applied to its
     *                                  target table as the catalog describes it
     */
    public ApplyService(SyncConfig config, Catalog catalog, String targetEndpoint, MeterRegistry meters,
                        ApplyOptions options, SyncLogRecorder syncLog) {
        this.options = options;
        this.config = config;
        this.endpoint = config.endpoint(targetEndpoint);
        this.dialect = SqlDialects.of(endpoint.kind());
        this.topics = MappedTopic.forTarget(config, catalog, targetEndpoint);
        this.metrics = new ApplyMetrics(meters, syncLog);
        this.workerId = targetEndpoint + "@" + hostName() + "/" + ProcessHandle.current().pid();
        ZoneId zone = endpoint.timezone() == null ? ZoneOffset.UTC : ZoneId.of(endpoint.timezone());
        for (MappedTopic t : topics) {
            boolean bidirectional = t.map().direction() == io.dualsync.config.Direction.BIDIRECTIONAL;
            InsertValues insertValues = InsertValues.of(t.map(), t.from().other(), t.columns().target());
            appliers.put(t.topic(), new BatchApplier(dialect, t.columns(), t.map().deletes(),
                    bidirectional ? t.map().conflicts() : null, t.map().initialSyncWinner(), t.map().keyMatching(),
                    insertValues, workerId, zone));
        }
    }

    /** The service name of an apply service in the sync log and metrics: {@code apply[<endpoint>]}. */
    public static String syncLogService(String targetEndpoint) {
        return "apply[" + targetEndpoint + "]";
    }

    /**
     * The first sync into this endpoint so far, per map (design.md, "Initial and repeated
     * synchronization"): changes that met rows dualsync never wrote, by how they met them. Also
     * logged by each batch that has some.
     */
    public Map<String, FirstSync> firstSync() {
        Map<String, FirstSync> byMap = new LinkedHashMap<>();
        for (MappedTopic t : topics) {
            byMap.merge(t.map().name(), appliers.get(t.topic()).firstSync(), FirstSync::plus);
        }
        return byMap;
    }

    /** The mapped topics this service consumes. */
    public List<String> topics() {
        return topics.stream().map(MappedTopic::topic).toList();
    }

    /**
     * Connects to the target, checks the user's privileges ({@link ApplyPreconditions}), creates the
     * bookkeeping tables and the topics if missing, and starts the worker thread.
     *
     * @throws ApplyPreconditionException naming every privilege the user lacks, with its GRANT statement
     * @throws IllegalStateException when the target database cannot be reached or prepared
     */
    public synchronized void start() {
        if (thread != null) {
            throw new IllegalStateException("apply service for " + endpoint.name() + " already started");
        }
        target = new TargetConnection(endpoint, dialect.connectionProperties());
        try {
            // also creates the bookkeeping tables where missing
            ApplyPreconditions.check(target.get(), endpoint, dialect, topics);
        } catch (ApplyPreconditionException e) {
            target.close();
            throw e;
        } catch (SQLException e) {
            target.close();
            throw new IllegalStateException("cannot prepare the dualsync bookkeeping on endpoint " + endpoint.name()
                    + ": SQLState " + e.getSQLState(), e);
        }
        KafkaConsumer<byte[], byte[]> consumer;
        try {
            List<String> needed = new ArrayList<>(topics());
            needed.add(Topics.deadLetter(endpoint.name()));
            needed.add(Topics.retry(endpoint.name()));
            KafkaClients.ensureTopics(config.kafka(), needed);
            decoder = new ChangeDecoder(config.registry(), topics);
            deadLetters = new KafkaProducer<>(producerProperties());
            consumer = new KafkaConsumer<>(consumerProperties());
        } catch (RuntimeException e) {
            close();
            throw e;
        }
        Map<String, MappedTopic> byTopic = new LinkedHashMap<>();
        topics.forEach(t -> byTopic.put(t.topic(), t));
        loop = new PollLoop(endpoint.name(), consumer, deadLetters, decoder, target, byTopic, appliers, metrics, options);
        thread = new Thread(() -> {
            try (consumer) {
                loop.run();
            } catch (Throwable t) {
                failure = t;
                LOG.error("apply worker for endpoint {} stopped on {}", endpoint.name(), t.getClass().getName(), t);
            }
        }, config.kafka().applyGroupId(endpoint.name()));
        thread.start();
        LOG.info("Applying {} mapped topic(s) to endpoint {} as worker {}", topics.size(), endpoint.name(), workerId);
    }

    /** Why the worker thread died; empty while it runs (or ran until closed). */
    public Optional<Throwable> failure() {
        return Optional.ofNullable(failure);
    }

    /** Stops the worker (records in flight are not committed and will be redelivered) and closes every client. */
    @Override
    public synchronized void close() {
        if (thread != null) {
            loop.stop();
            try {
                thread.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            thread = null;
        }
        if (deadLetters != null) {
            deadLetters.close();
            deadLetters = null;
        }
        if (decoder != null) {
            decoder.close();
            decoder = null;
        }
        if (target != null) {
            target.close();
            target = null;
        }
    }

    private Map<String, Object> consumerProperties() {
        Map<String, Object> props = KafkaClients.common(config.kafka());
        props.put(ConsumerConfig.GROUP_ID_CONFIG, config.kafka().applyGroupId(endpoint.name()));
        props.put(ConsumerConfig.CLIENT_ID_CONFIG, "dualsync-apply-" + endpoint.name() + "-" + ProcessHandle.current().pid());
        // transform writes mapped topics in transactions (exactly-once): never read aborted ones
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        return props;
    }

    private Map<String, Object> producerProperties() {
        Map<String, Object> props = KafkaClients.common(config.kafka());
        props.put(ProducerConfig.CLIENT_ID_CONFIG, "dualsync-apply-dlt-" + endpoint.name() + "-" + ProcessHandle.current().pid());
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        return props;
    }

    private static String hostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return "unknown-host";
        }
    }
}
