package io.dualsync.capture;

import io.debezium.engine.ChangeEvent;
import io.debezium.engine.DebeziumEngine;
import io.debezium.engine.format.Avro;
import io.dualsync.config.Endpoint;
import io.dualsync.config.SyncConfig;
import io.dualsync.config.TableRef;
import io.dualsync.contract.BookkeepingTables;
import io.dualsync.contract.KafkaClients;
import io.dualsync.contract.Topics;
import org.apache.kafka.clients.producer.Producer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Captures the row changes of one endpoint (PostgreSQL or MariaDB, see {@link SourceConnector}) into its raw topics
 * ({@code dualsync.raw.<endpoint>.<schema>.<table>}) with one Debezium Embedded engine.
 *
 * <p>{@link #start()} checks the database ({@link CapturePreconditions}), creates the raw topics
 * and the offsets topic, and runs the engine on its own thread: a snapshot of the mapped tables
 * on the first run, then the replication stream; after a restart it resumes at the offset kept
 * in Kafka. {@link #failure()} completes exceptionally if the engine dies, so the caller can
 * report it and stop; {@link #close()} stops the engine gracefully (flushing the offsets of
 * everything published) and then closes the producer. An instance starts once.
 */
public final class CaptureService implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(CaptureService.class);
    private static final Duration SHUTDOWN_TIMEOUT = Duration.ofSeconds(30);

    private final SyncConfig config;
    private final Endpoint endpoint;
    private final CaptureOptions options;
    private final List<TableRef> tables;
    private final Optional<TableRef> checkpoint;
    private Properties properties;
    private final SourceConnector source;
    private final CompletableFuture<Void> taskStarted = new CompletableFuture<>();
    private final CompletableFuture<Void> stopped = new CompletableFuture<>();
    /** Completes when the engine's tasks poll: from then on Debezium accepts to stop the engine. */
    private final CompletableFuture<Void> polling = new CompletableFuture<>();

    private Producer<byte[], byte[]> producer;
    private DebeziumEngine<ChangeEvent<byte[], byte[]>> engine;
    private ExecutorService executor;
    /** Turns the transform's requests to read children again into signals; null when no filter tests a parent here. */
    private RereadListener rereads;
    private boolean startCalled;
    /** set when close() begins: from then on the service reports itself not running */
    private volatile boolean closed;

    /**
     * Validates the endpoint's capture settings; touches neither the database nor Kafka.
     *
     * @throws IllegalArgumentException when the endpoint is unknown, used by no map, or (MariaDB) has no server id
     */
    public CaptureService(SyncConfig config, String endpointName, CaptureOptions options) {
        this.config = config;
        this.endpoint = config.endpoint(endpointName);
        this.options = options;
        this.tables = CapturedTables.of(config, endpointName);
        this.checkpoint = CapturedTables.checkpoint(config, endpointName);
        this.properties = DebeziumProperties.forEndpoint(config, endpoint, options);
        this.source = SourceConnector.of(endpoint);
    }

    /** The endpoint this service captures. */
    public String endpoint() {
        return endpoint.name();
    }

    /** The tables captured, each published to {@link Topics#raw(TableRef)}. */
    public List<TableRef> capturedTables() {
        return tables;
    }

    /**
     * Checks the database, creates the topics and starts the engine in the background.
     *
     * @throws CapturePreconditionException when the database is not ready for capture; nothing
     *                                      has been started then
     * @throws IllegalStateException        when called twice or after {@link #close()}
     */
    public synchronized void start() {
        if (startCalled || closed) {
            throw new IllegalStateException("capture of endpoint '" + endpoint.name() + "' was already started or closed");
        }
        startCalled = true;
        boolean signaling = CaptureSetup.prepare(config, endpoint);
        properties = DebeziumProperties.forEndpoint(config, endpoint, options, signaling);

        log.info("endpoint '{}': starting capture of {} through {}, offsets in {}",
                endpoint.name(), tables.stream().map(TableRef::qualifiedName).toList(), source.describe(endpoint),
                Topics.captureOffsets(endpoint.name()));
        if (log.isDebugEnabled()) {
            log.debug("endpoint '{}': Debezium properties:{}{}", endpoint.name(), System.lineSeparator(),
                    DebeziumProperties.masked(properties));
        }

        producer = CaptureProducer.create(config.kafka(), endpoint.name());
        engine = DebeziumEngine.create(Avro.class)
                .using(properties)
                .notifying(new ChangePublisher(endpoint.name(), producer, RawRecordTagger.of(
                        checkpoint.map(Topics::raw).orElse(null), Topics.raw(BookkeepingTables.signal(endpoint))),
                        options.meters()))
                .using(new DebeziumEngine.ConnectorCallback() {
                    @Override
                    public void taskStarted() {
                        taskStarted.complete(null);
                    }

                    @Override
                    public void pollingStarted() {
                        polling.complete(null);
                    }
                })
                .using(this::engineStopped)
                .build();
        executor = Executors.newSingleThreadExecutor(r -> new Thread(r, "dualsync-capture-" + endpoint.name()));
        executor.execute(engine);
        if (signaling && RereadListener.needed(config, endpoint)) {
            rereads = new RereadListener(config.kafka(), endpoint, e -> {
                if (error == null) {
                    error = new IllegalStateException("capture of endpoint '" + endpoint.name()
                            + "' stopped reading requests to read children again: " + e.getMessage(), e);
                }
            });
            rereads.start();
        }
    }

    /**
     * Waits until the connector task runs: its replication slot exists, so every change
     * committed from now on will be captured (after the snapshot, on a first run).
     *
     * @throws IllegalStateException when the engine stopped before its task started (the cause
     *                               is the engine's error)
     * @throws TimeoutException      when the task did not start in time
     */
    public void awaitStarted(Duration timeout) throws InterruptedException, TimeoutException {
        try {
            CompletableFuture.anyOf(taskStarted, stopped).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw new IllegalStateException("capture of endpoint '" + endpoint.name() + "' failed to start: "
                    + e.getCause().getMessage(), e.getCause());
        }
        if (!taskStarted.isDone()) {
            throw new IllegalStateException("capture of endpoint '" + endpoint.name() + "' stopped before it started");
        }
    }

    /**
     * Whether the engine was started and has not stopped, nor been closed. Once {@link #close()} has
     * begun the service is stopping; when it returns the engine's task is stopped and its slot
     * released, even when Debezium's engine thread has not reported back yet (seen once, closing during the first snapshot of a loaded machine: the
     * thread was still running 30 s later, and close() logs a warning then).
     */
    public boolean isRunning() {
        return taskStarted.isDone() && !stopped.isDone() && !closed;
    }

    /**
     * Completes when the engine stops: normally after {@link #close()}, exceptionally with the
     * engine's error when it died (a database or Kafka failure, a change that could not be
     * published). Each call returns a new future that callers may not use to stop the engine.
     */
    public CompletableFuture<Void> stopped() {
        return stopped.copy();
    }

    /**
     * Why the engine died, or why the listener of requests to read children again stopped, if one
     * did; empty while both run and after a clean {@link #close()}.
     */
    public Optional<Throwable> failure() {
        return Optional.ofNullable(error);
    }

    private volatile Throwable error;

    private void engineStopped(boolean success, String message, Throwable error) {
        if (success) {
            log.info("endpoint '{}': capture stopped", endpoint.name());
            stopped.complete(null);
        } else {
            log.error("endpoint '{}': capture engine stopped with an error: {}", endpoint.name(), message, error);
            this.error = error != null ? error
                    : new IllegalStateException("capture engine of endpoint '" + endpoint.name() + "' stopped: " + message);
            stopped.completeExceptionally(this.error);
        }
    }

    /**
     * Stops the engine gracefully, so the offsets of every published change are written, then
     * closes the producer. Safe to call more than once and on a service that never started.
     */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (rereads != null) {
            rereads.close();
        }
        if (engine != null) {
            stopEngine();
        }
        if (executor != null) {
            executor.shutdown();
            try {
                if (!executor.awaitTermination(SHUTDOWN_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                    log.warn("endpoint '{}': capture engine still running {} after close", endpoint.name(), SHUTDOWN_TIMEOUT);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (producer != null) {
            producer.close(SHUTDOWN_TIMEOUT);
        }
    }

    /**
     * Stops the engine, and with it its connector task, which closes the replication connection:
     * the slot is released when this returns. Debezium refuses to stop an engine whose tasks are
     * still starting (they would leak, still holding the slot, which is how a capture closed right
     * after {@link #start()} used to keep streaming after {@link #close()}): then this waits until the
     * tasks poll, or the engine stops by itself, and stops it.
     */
    private void stopEngine() {
        long deadline = System.nanoTime() + SHUTDOWN_TIMEOUT.toNanos();
        while (!stopped.isDone()) {
            try {
                engine.close();
                return;
            } catch (IOException e) {
                log.warn("endpoint '{}': capture engine did not close cleanly: {}", endpoint.name(), e.getMessage());
                return;
            } catch (IllegalStateException e) {
                // tasks still starting, or the engine is stopping itself after a failure (failure() says why)
                CompletableFuture<?> next = polling.isDone() ? stopped : CompletableFuture.anyOf(polling, stopped);
                long left = deadline - System.nanoTime();
                try {
                    next.get(Math.max(left, 0), TimeUnit.NANOSECONDS);
                } catch (ExecutionException stoppedWithError) {
                    return;
                } catch (TimeoutException timedOut) {
                    log.warn("endpoint '{}': capture engine could not be stopped within {}: {}", endpoint.name(),
                            SHUTDOWN_TIMEOUT, e.getMessage());
                    return;
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    /**
     * Drops the endpoint's replication slot (if it exists and no process holds it) and its
     * publication ({@code DROP PUBLICATION IF EXISTS}). For tests and for an operator's reset of
     * an endpoint that will not be captured again as it was.
     *
     * <p>Careful: this discards the endpoint's position in the database log. Changes committed
     * between the last published one and the next start are never captured. A slot that is left
     * behind, on the other hand, makes PostgreSQL keep its WAL forever, so drop the slot of an
     * endpoint that is retired. A reset that captures again must also delete the endpoint's
     * offsets topic ({@link Topics#captureOffsets(String)}), or the new engine resumes from a
     * position the new slot does not have instead of taking a fresh snapshot.
     *
     * @throws IllegalStateException when the slot is in use (stop the capture first) or the
     *                               database refuses
     */
    public static void dropSlotAndPublication(Endpoint endpoint) {
        ReplicationSlots.dropSlotAndPublication(endpoint);
    }
}
