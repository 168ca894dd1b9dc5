package io.dualsync.launcher.cli;

import picocli.CommandLine.Option;

import java.nio.file.Path;

/** The {@code --config FILE} option every service command takes. */
public final class ConfigOption {
    @Option(names = {"-c", "--config"}, required = true, paramLabel = "FILE",
            description = "The sync configuration (YAML).")
    Path file;

    /** The config file given. */
    public Path file() {
        return file;
    }
}
