package io.dualsync.launcher.cli;

import io.dualsync.launcher.Pipeline;
import picocli.CommandLine.Command;

/** {@code dualsync transform}: Maps raw topics to mapped topics (Kafka Streams). */
@Command(name = "transform", mixinStandardHelpOptions = true, description = "Maps raw topics to mapped topics (Kafka Streams).")
public final class TransformCommand extends ServiceCommand {
    @Override
    void start(Pipeline pipeline) {
        pipeline.startTransform();
    }
}
