package io.dualsync.launcher.observe;

import io.dualsync.config.Endpoint;
import io.dualsync.config.SyncConfig;
import io.dualsync.synclog.SyncLog;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

import java.util.Collection;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * What one service process shows about itself: a Prometheus meter registry the services count
 * into, the process's {@link SyncLog} (published to {@code dualsync.sync-log} with the configured
 * retention), and the {@link ObservabilityServer} with {@code /metrics} and the health endpoints.
 * Started before the services (so liveness answers during start-up) and closed after them (so
 * the last minute of the sync log is published).
 */
public final class ProcessObservability implements AutoCloseable {

    private final PrometheusMeterRegistry meters;
    private final SyncLog syncLog;
    private final Readiness readiness;
    private final ObservabilityServer server;

    private ProcessObservability(PrometheusMeterRegistry meters, SyncLog syncLog, Readiness readiness,
                                 ObservabilityServer server) {
        this.meters = meters;
        this.syncLog = syncLog;
        this.readiness = readiness;
        this.server = server;
    }

    /**
     * @param port           HTTP port; 0 for any free one
     * @param databases      the endpoints the process's services use (readiness checks each)
     * @param serviceFailure the first failure of a hosted service, if any
     * @throws IllegalStateException when the port cannot be bound or the broker cannot create the sync-log topic
     */
    public static ProcessObservability start(SyncConfig config, int port, Collection<Endpoint> databases,
                                             Supplier<Optional<String>> serviceFailure) {
        PrometheusMeterRegistry meters = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        new JvmMemoryMetrics().bindTo(meters);
        new JvmGcMetrics().bindTo(meters);
        new JvmThreadMetrics().bindTo(meters);
        new ProcessorMetrics().bindTo(meters);
        new UptimeMetrics().bindTo(meters);
        Readiness readiness = new Readiness(config, databases, serviceFailure);
        ObservabilityServer server;
        try {
            server = ObservabilityServer.start(port, meters, readiness);
        } catch (RuntimeException e) {
            readiness.close();
            throw e;
        }
        SyncLog syncLog = SyncLog.publishing(config.kafka(), config.observability().syncLogRetention(), meters);
        try {
            syncLog.start();
        } catch (RuntimeException e) {
            server.close();
            readiness.close();
            throw e;
        }
        return new ProcessObservability(meters, syncLog, readiness, server);
    }

    public PrometheusMeterRegistry meters() {
        return meters;
    }

    public SyncLog syncLog() {
        return syncLog;
    }

    /** The HTTP port bound. */
    public int port() {
        return server.port();
    }

    /** Every service has started: readiness now depends on the checks alone. */
    public void markStarted() {
        readiness.markStarted();
    }

    @Override
    public void close() {
        syncLog.close();
        server.close();
        readiness.close();
        meters.close();
    }
}
