package io.dualsync.launcher.cli;

import io.dualsync.config.Endpoint;
import io.dualsync.config.SyncConfig;
import io.dualsync.launcher.Pipeline;
import io.dualsync.launcher.ServiceHost;
import io.dualsync.launcher.Startup;
import io.dualsync.launcher.observe.ProcessObservability;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;

/**
 * Shared body of {@code run}, {@code capture}, {@code transform} and {@code apply}: check the
 * config, the live databases and that the broker answers (within {@link Startup#BROKER_TIMEOUT}),
 * serve {@code /metrics} and {@code /health/*} and publish the sync log ({@link ProcessObservability}), start the services, run until SIGTERM, stop cleanly. Exit
 * code 0 after a requested stop, 1 for a refused start, 2 when a service failed while running.
 */
abstract class ServiceCommand implements Callable<Integer> {

    @Mixin
    ConfigOption config;

    @Option(names = "--metrics-port", paramLabel = "PORT",
            description = "Port of /metrics, /health/live and /health/ready (default: observability.port of the config, 9464; 0: any free port).")
    Integer metricsPort;

    @Spec
    CommandSpec spec;

    /** Starts this command's services into the host. */
    abstract void start(Pipeline pipeline);

    /** The endpoints whose databases this command's services use, for the readiness checks. */
    Set<String> endpointsUsed(SyncConfig config) {
        return switch (spec.name()) {
            case "capture" -> Pipeline.endpointsUsed(config, true, false);
            case "apply" -> Pipeline.endpointsUsed(config, false, true);
            case "transform" -> Set.of();
            default -> Pipeline.endpointsUsed(config, true, true);
        };
    }

    @Override
    public Integer call() throws Exception {
        Startup.Checked checked;
        try {
            checked = Startup.loadAndCheck(config.file);
            Startup.checkBroker(checked.config().kafka(), Startup.BROKER_TIMEOUT);
        } catch (Startup.StartupException e) {
            spec.commandLine().getErr().println(e.getMessage());
            return 1;
        }
        SyncConfig syncConfig = checked.config();
        List<Endpoint> databases = endpointsUsed(syncConfig).stream().map(syncConfig::endpoint).toList();
        int port = metricsPort != null ? metricsPort : syncConfig.observability().port();
        ServiceHost host = new ServiceHost();
        ProcessObservability observability;
        try {
            observability = ProcessObservability.start(syncConfig, port, databases, host::firstFailure);
        } catch (IllegalStateException e) {
            spec.commandLine().getErr().println(e.getMessage());
            return 1;
        }
        // the host closes in reverse order, on SIGTERM too: the services first, then the sync log's last minute is published
        host.add(new ServiceHost.Hosted("metrics, health and sync log", observability, Optional::empty));
        try (host) {
            host.closeOnShutdown();
            start(new Pipeline(checked, host, observability.meters(), observability.syncLog()));
            observability.markStarted();
            spec.commandLine().getOut().println("dualsync " + spec.name() + " is running; /metrics and /health/ready on port "
                    + observability.port() + "; Ctrl-C stops it.");
            Optional<String> failure = host.awaitStopOrFailure();
            if (failure.isPresent()) {
                spec.commandLine().getErr().println(failure.get());
                return 2;
            }
            return 0;
        }
    }
}
