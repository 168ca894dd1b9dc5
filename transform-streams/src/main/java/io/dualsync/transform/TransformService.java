package io.dualsync.transform;

import io.dualsync.config.ParentFilter;

import io.dualsync.catalog.Catalog;
import io.dualsync.config.SyncConfig;
import io.dualsync.contract.KafkaClients;
import io.dualsync.retry.Backoff;
import io.dualsync.retry.RegistryOutage;
import io.dualsync.synclog.SyncLog;
import io.dualsync.synclog.SyncLogRecorder;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Runs the transform: creates the raw, mapped and dead-letter topics it uses when missing,
 * builds the {@link MappingTopology} with the Apicurio serdes and runs it in Kafka Streams.
 * It fails loudly: a bad configuration throws from {@link #start()}, and an error that kills a
 * stream thread (the broker unreachable for longer than the clients wait, a bug) shuts the
 * Streams client down, is logged, and is kept for {@link #failure()}; {@link #state()} then
 * reports {@code ERROR}. A schema registry that cannot be reached is waited for instead (a
 * replaced stream thread gets its tasks back after the group's session timeout). Records that
 * merely cannot be mapped go to the dead-letter topic.
 */
public final class TransformService implements AutoCloseable {

    /** The transform's service name in the sync log and metrics. */
    public static final String SYNC_LOG_SERVICE = "transform";

    private static final Logger log = LoggerFactory.getLogger(TransformService.class);
    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration REGISTRY_WAIT_CAP = Duration.ofSeconds(30);

    private final SyncConfig config;
    private final Catalog catalog;
    private final String applicationId;
    private final Path stateDir;
    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    /** Shared by the stream threads: while the registry stays away, each replacement waits longer. */
    private final Backoff registryWait = new Backoff(Duration.ofSeconds(1), REGISTRY_WAIT_CAP);
    private final io.micrometer.core.instrument.MeterRegistry meters;
    private final SyncLogRecorder syncLog;
    private KafkaStreams streams;

    /**
     * With the config's application id ({@code <kafka.applicationId>-transform}) and a state directory of this process's own: the stores
     * are restored from their changelog topics at start, and two dualsync processes on one
     * machine never contend for the same directory lock.
     */
    public TransformService(SyncConfig config, Catalog catalog) {
        this(config, catalog, config.kafka().transformApplicationId(), newStateDirectory());
    }

    /** As {@link #TransformService(SyncConfig, Catalog)}, counting into {@code meters} and the sync log. */
    public TransformService(SyncConfig config, Catalog catalog, io.micrometer.core.instrument.MeterRegistry meters,
                            SyncLogRecorder syncLog) {
        this(config, catalog, config.kafka().transformApplicationId(), newStateDirectory(), meters, syncLog);
    }

    private static Path newStateDirectory() {
        try {
            return java.nio.file.Files.createTempDirectory("dualsync-streams-");
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException("cannot create a Kafka Streams state directory", e);
        }
    }

    /**
     * @param applicationId Kafka Streams application id; instances with the same id share the work
     * @param stateDir      where the links stores live locally (restored from their changelogs when lost)
     */
    public TransformService(SyncConfig config, Catalog catalog, String applicationId, Path stateDir) {
        this(config, catalog, applicationId, stateDir, io.micrometer.core.instrument.Metrics.globalRegistry);
    }

    /** @param meters where the counters of changes not propagated, by reason, go ({@code dualsync.transform.suppressed}) */
    public TransformService(SyncConfig config, Catalog catalog, String applicationId, Path stateDir,
                            io.micrometer.core.instrument.MeterRegistry meters) {
        this(config, catalog, applicationId, stateDir, meters, SyncLog.inMemory(meters).recorder(SYNC_LOG_SERVICE));
    }

    /** @param syncLog where the changes not propagated, by outcome, are counted per map and minute */
    public TransformService(SyncConfig config, Catalog catalog, String applicationId, Path stateDir,
                            io.micrometer.core.instrument.MeterRegistry meters, SyncLogRecorder syncLog) {
        this.meters = meters;
        this.syncLog = syncLog;
        this.config = config;
        this.catalog = catalog;
        this.applicationId = applicationId;
        this.stateDir = stateDir;
    }

    /**
     * Creates missing topics, builds the topology and starts it.
     *
     * @throws IllegalArgumentException when the configuration does not fit the catalog
     * @throws IllegalStateException    when topics cannot be created or the service was started before
     */
    public synchronized void start() {
        if (streams != null) {
            throw new IllegalStateException("the transform service was already started");
        }
        Topology topology = MappingTopology.build(config, catalog, new ApicurioAvroSerdes(config.registry()), meters, syncLog);
        KafkaClients.ensureTopics(config.kafka(), topics());
        KafkaClients.ensureTopics(config.kafka(), couplingsTopics(), java.util.Map.of(
                org.apache.kafka.common.config.TopicConfig.CLEANUP_POLICY_CONFIG, org.apache.kafka.common.config.TopicConfig.CLEANUP_POLICY_COMPACT));
        streams = new KafkaStreams(topology, TransformStreamsConfig.streamsProperties(config, applicationId, stateDir));
        streams.setUncaughtExceptionHandler(this::onStreamThreadFailure);
        streams.setStateListener((now, before) -> log.info("transform state {} -> {}", before, now));
        streams.start();
        log.info("transform started: {} flows, application id {}", Flow.all(config).size(), applicationId);
    }

    /**
     * A registry that cannot be reached is waited for: the failed thread pauses (growing, with
     * jitter, up to {@link #REGISTRY_WAIT_CAP}) and is replaced by one that resumes from the last
     * committed transaction, so nothing is lost or written twice (exactly-once). Anything else
     * stops the transform, which then reports the failure.
     */
    private StreamThreadExceptionResponse onStreamThreadFailure(Throwable e) {
        if (RegistryOutage.causedBy(e)) {
            Duration pause = registryWait.next();
            log.warn("transform: the schema registry cannot be reached ({}); a new stream thread resumes from the last "
                    + "committed position in {} ms", Failures.reason(e), pause.toMillis());
            try {
                Thread.sleep(pause);
            } catch (InterruptedException interrupted) {
                Thread.currentThread().interrupt();
            }
            return StreamThreadExceptionResponse.REPLACE_THREAD;
        }
        failure.compareAndSet(null, e);
        log.error("transform stopped: {}", Failures.reason(e), e);
        return StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
    }

    /** The Streams client's state; {@code CREATED} before {@link #start()}. */
    public synchronized KafkaStreams.State state() {
        return streams == null ? KafkaStreams.State.CREATED : streams.state();
    }

    /** The error that stopped the transform, if one did. */
    public Optional<Throwable> failure() {
        return Optional.ofNullable(failure.get());
    }

    @Override
    public synchronized void close() {
        if (streams != null) {
            streams.close(CLOSE_TIMEOUT);
            log.info("transform closed");
        }
    }

    /** The compacted couplings topics of the maps that reference fields point to (global stores read them whole). */
    private Set<String> couplingsTopics() {
        Set<String> topics = new LinkedHashSet<>();
        for (Flow flow : Flow.all(config)) {
            flow.referencedMaps().forEach(m -> topics.add(io.dualsync.contract.Topics.couplings(m)));
        }
        return topics;
    }

    private Set<String> topics() {
        Set<String> topics = new LinkedHashSet<>();
        ParentFilter.all(config).forEach(f -> topics.add(io.dualsync.contract.Topics.reread(f.child().table(f.side()).endpoint())));
        for (Flow flow : Flow.all(config)) {
            topics.add(flow.rawTopic());
            topics.add(flow.mappedTopic());
            topics.add(flow.deadLetterTopic());
            if (flow.coupled()) {
                topics.add(flow.coupledTopic());
            }
        }
        return topics;
    }
}
