package io.dualsync.launcher;

import io.dualsync.apply.ApplyOptions;
import io.dualsync.apply.ApplyService;
import io.dualsync.capture.CaptureOptions;
import io.dualsync.capture.CaptureService;
import io.dualsync.config.Side;
import io.dualsync.config.SyncConfig;
import io.dualsync.config.TableMap;
import io.dualsync.synclog.SyncLog;
import io.dualsync.transform.TransformService;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Metrics;

import java.util.LinkedHashSet;
import java.util.Set;

/**
 * Starts the services a configuration needs into a {@link ServiceHost}: a capture engine for
 * every endpoint some map reads from, one transform topology, and an apply worker for every
 * endpoint some map writes to. Which endpoints those are follows from each map's direction.
 */
public final class Pipeline {

    private final Startup.Checked checked;
    private final ServiceHost host;
    private final MeterRegistry meters;
    private final SyncLog syncLog;

    /**
     * Counting into Micrometer's global registry (capture: into the registry of its options), with
     * a sync log that is not published.
     */
    public Pipeline(Startup.Checked checked, ServiceHost host) {
        this.checked = checked;
        this.host = host;
        this.meters = null;
        this.syncLog = SyncLog.inMemory(Metrics.globalRegistry);
    }

    /**
     * @param meters  where every service counts (the process's {@code /metrics})
     * @param syncLog the process's sync log
     */
    public Pipeline(Startup.Checked checked, ServiceHost host, MeterRegistry meters, SyncLog syncLog) {
        this.checked = checked;
        this.host = host;
        this.meters = meters;
        this.syncLog = syncLog;
    }

    /** The endpoints whose databases capture ({@code sources}) and apply ({@code targets}) use. */
    public static Set<String> endpointsUsed(SyncConfig config, boolean sources, boolean targets) {
        Set<String> used = new LinkedHashSet<>();
        if (sources) {
            used.addAll(sourceEndpoints(config));
        }
        if (targets) {
            used.addAll(targetEndpoints(config));
        }
        return used;
    }

    /** Endpoints that some map captures changes from. */
    public static Set<String> sourceEndpoints(SyncConfig config) {
        Set<String> sources = new LinkedHashSet<>();
        for (TableMap m : config.maps()) {
            for (Side from : Side.values()) {
                if (m.direction().flowsFrom(from)) {
                    sources.add(m.table(from).endpoint());
                }
            }
        }
        return sources;
    }

    /** Endpoints that some map applies changes to. */
    public static Set<String> targetEndpoints(SyncConfig config) {
        Set<String> targets = new LinkedHashSet<>();
        for (TableMap m : config.maps()) {
            for (Side from : Side.values()) {
                if (m.direction().flowsFrom(from)) {
                    targets.add(m.table(from.other()).endpoint());
                }
            }
        }
        return targets;
    }

    public void startCapture(CaptureOptions options) {
        for (String endpoint : sourceEndpoints(checked.config())) {
            CaptureService capture = new CaptureService(checked.config(), endpoint, meters == null ? options : options.withMeters(meters));
            capture.start();
            host.add(new ServiceHost.Hosted("capture[" + endpoint + "]", capture, capture::failure));
        }
    }

    public void startTransform() {
        TransformService transform = new TransformService(checked.config(), checked.catalog(), meters(),
                syncLog.recorder(TransformService.SYNC_LOG_SERVICE));
        transform.start();
        host.add(new ServiceHost.Hosted("transform", transform, transform::failure));
    }

    public void startApply() {
        startApply(ApplyOptions.defaults());
    }

    /** @param options how apply retries transient and dependent failures */
    public void startApply(ApplyOptions options) {
        for (String endpoint : targetEndpoints(checked.config())) {
            ApplyService apply = new ApplyService(checked.config(), checked.catalog(), endpoint, meters(), options,
                    syncLog.recorder(ApplyService.syncLogService(endpoint)));
            apply.start();
            host.add(new ServiceHost.Hosted("apply[" + endpoint + "]", apply, apply::failure));
        }
    }

    private MeterRegistry meters() {
        return meters == null ? Metrics.globalRegistry : meters;
    }

    /** Capture, transform and apply, in the order data flows. */
    public void startAll(CaptureOptions options) {
        startAll(options, ApplyOptions.defaults());
    }

    /** Capture, transform and apply, in the order data flows, with apply's retry options. */
    public void startAll(CaptureOptions options, ApplyOptions applyOptions) {
        startApply(applyOptions);
        startTransform();
        startCapture(options);
    }
}
