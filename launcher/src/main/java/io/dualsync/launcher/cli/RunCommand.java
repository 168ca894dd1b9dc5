package io.dualsync.launcher.cli;

import io.dualsync.capture.CaptureOptions;
import io.dualsync.launcher.Pipeline;
import picocli.CommandLine.Command;

/** {@code dualsync run}: Runs capture, transform and apply in one process. */
@Command(name = "run", mixinStandardHelpOptions = true, description = "Runs capture, transform and apply in one process.")
public final class RunCommand extends ServiceCommand {
    @picocli.CommandLine.Mixin
    ApplyRetryOptions retry;

    @Override
    void start(Pipeline pipeline) {
        pipeline.startAll(CaptureOptions.defaults(), retry.options());
    }
}
