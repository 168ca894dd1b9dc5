package io.dualsync.launcher.cli;

import io.dualsync.capture.CaptureOptions;
import io.dualsync.launcher.Pipeline;
import picocli.CommandLine.Command;

/** {@code dualsync capture}: Captures changes of every source endpoint into raw topics. */
@Command(name = "capture", mixinStandardHelpOptions = true, description = "Captures changes of every source endpoint into raw topics.")
public final class CaptureCommand extends ServiceCommand {
    @Override
    void start(Pipeline pipeline) {
        pipeline.startCapture(CaptureOptions.defaults());
    }
}
