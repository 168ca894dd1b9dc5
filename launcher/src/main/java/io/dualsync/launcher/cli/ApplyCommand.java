package io.dualsync.launcher.cli;

import io.dualsync.launcher.Pipeline;
import picocli.CommandLine.Command;

/** {@code dualsync apply}: Applies mapped topics to every target endpoint. */
@Command(name = "apply", mixinStandardHelpOptions = true, description = "Applies mapped topics to every target endpoint.")
public final class ApplyCommand extends ServiceCommand {
    @picocli.CommandLine.Mixin
    ApplyRetryOptions retry;

    @Override
    void start(Pipeline pipeline) {
        pipeline.startApply(retry.options());
    }
}
