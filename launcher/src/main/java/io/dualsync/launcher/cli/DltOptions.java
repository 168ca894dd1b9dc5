package io.dualsync.launcher.cli;

import io.dualsync.apply.dlt.DeadLetterTopic;
import io.dualsync.config.ConfigException;
import io.dualsync.config.ConfigLoader;
import io.dualsync.config.SyncConfig;
import io.dualsync.launcher.Pipeline;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.List;
import java.util.Set;

/**
 * {@code --config FILE} and {@code --endpoint NAME} of the {@code dualsync dlt} commands: which
 * dead-letter topics ({@code dualsync.dlt.<endpoint>}) they work on. Only the file is read: the
 * commands need the Kafka cluster (and the registry for {@code show}), never the databases, so they
 * work while a target database is down.
 */
public final class DltOptions {

    @Option(names = {"-c", "--config"}, required = true, paramLabel = "FILE", description = "The sync configuration (YAML).")
    Path file;

    @Option(names = {"-e", "--endpoint"}, paramLabel = "NAME",
            description = "The target endpoint whose dead letters to work on; default: every target endpoint of the config.")
    String endpoint;

    /** Thrown for a problem the operator must fix on the command line or in the config. */
    static final class UsageException extends RuntimeException {
        UsageException(String message) {
            super(message);
        }
    }

    SyncConfig config() {
        try {
            return ConfigLoader.load(file);
        } catch (ConfigException e) {
            throw new UsageException(e.getMessage());
        }
    }

    /** The dead-letter topics selected: the one of --endpoint, or of every target endpoint. */
    List<DeadLetterTopic> topics(SyncConfig config) {
        Set<String> targets = Pipeline.targetEndpoints(config);
        if (endpoint != null) {
            if (!config.endpoints().containsKey(endpoint)) {
                throw new UsageException("no endpoint named '" + endpoint + "' in " + file + "; target endpoints: " + targets);
            }
            return List.of(new DeadLetterTopic(config.kafka(), endpoint));
        }
        return targets.stream().map(t -> new DeadLetterTopic(config.kafka(), t)).toList();
    }

    /** The one topic a command that acts on single records needs; --endpoint is required when there are several. */
    DeadLetterTopic single(SyncConfig config) {
        List<DeadLetterTopic> topics = topics(config);
        if (topics.size() != 1) {
            throw new UsageException("the config has " + topics.size() + " target endpoints "
                    + Pipeline.targetEndpoints(config) + ": say which with --endpoint NAME");
        }
        return topics.getFirst();
    }
}
