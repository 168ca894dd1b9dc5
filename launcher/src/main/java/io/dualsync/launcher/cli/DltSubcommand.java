package io.dualsync.launcher.cli;

import io.dualsync.apply.dlt.DeadLetterException;
import io.dualsync.config.SyncConfig;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.concurrent.Callable;

/**
 * Shared body of the {@code dualsync dlt} commands: read the config, run, and turn what went wrong
 * into one message for the operator. Exit code 0 when done, 1 when the cluster or topic is not
 * there or refused, 2 for a wrong option or config.
 */
abstract class DltSubcommand implements Callable<Integer> {

    @Mixin
    DltOptions options;

    @Spec
    CommandSpec spec;

    abstract int run(SyncConfig config);

    @Override
    public Integer call() {
        try {
            return run(options.config());
        } catch (DltOptions.UsageException e) {
            err().println(e.getMessage());
            return 2;
        } catch (DeadLetterException e) {
            err().println(e.getMessage());
            return 1;
        }
    }

    PrintWriter out() {
        return spec.commandLine().getOut();
    }

    PrintWriter err() {
        return spec.commandLine().getErr();
    }
}
