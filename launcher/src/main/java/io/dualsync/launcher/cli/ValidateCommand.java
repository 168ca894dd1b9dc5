package io.dualsync.launcher.cli;

import io.dualsync.launcher.Pipeline;
import io.dualsync.launcher.Startup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

import java.util.concurrent.Callable;

/** {@code dualsync validate}: checks the config and the live databases; exit code 0 or 1. */
@Command(name = "validate", mixinStandardHelpOptions = true,
        description = "Checks the config file and the mapped tables in the live databases, then exits: 0 if all is well, 1 otherwise.")
public final class ValidateCommand implements Callable<Integer> {

    @Mixin
    ConfigOption config;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        try {
            Startup.Checked checked = Startup.loadAndCheck(config.file);
            spec.commandLine().getOut().printf("%s is valid: %d endpoint(s), %d map(s); captures from %s, applies to %s%n",
                    config.file, checked.config().endpoints().size(), checked.config().maps().size(),
                    Pipeline.sourceEndpoints(checked.config()), Pipeline.targetEndpoints(checked.config()));
            return 0;
        } catch (Startup.StartupException e) {
            spec.commandLine().getErr().println(e.getMessage());
            return 1;
        }
    }
}
