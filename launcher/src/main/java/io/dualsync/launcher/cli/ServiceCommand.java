package io.dualsync.launcher.cli;

import io.dualsync.launcher.Pipeline;
import io.dualsync.launcher.ServiceHost;
import io.dualsync.launcher.Startup;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.util.Optional;
import java.util.concurrent.Callable;

/**
 * Shared body of {@code run}, {@code capture}, {@code transform} and {@code apply}: check the
 * config and the live databases, start the services, run until SIGTERM, stop cleanly. Exit code
 * 0 after a requested stop, 1 for a refused start, 2 when a service failed while running.
 */
abstract class ServiceCommand implements Callable<Integer> {

    @Mixin
    ConfigOption config;

    @Spec
    CommandSpec spec;

    /** Starts this command's services into the host. */
    abstract void start(Pipeline pipeline);

    @Override
    public Integer call() throws Exception {
        Startup.Checked checked;
        try {
            checked = Startup.loadAndCheck(config.file);
        } catch (Startup.StartupException e) {
            spec.commandLine().getErr().println(e.getMessage());
            return 1;
        }
        try (ServiceHost host = new ServiceHost().closeOnShutdown()) {
            start(new Pipeline(checked, host));
            spec.commandLine().getOut().println("dualsync " + spec.name() + " is running; Ctrl-C stops it.");
            Optional<String> failure = host.awaitStopOrFailure();
            if (failure.isPresent()) {
                spec.commandLine().getErr().println(failure.get());
                return 2;
            }
            return 0;
        }
    }
}
