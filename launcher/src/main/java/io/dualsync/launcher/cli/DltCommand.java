package io.dualsync.launcher.cli;

import picocli.CommandLine.Command;

/** {@code dualsync dlt}: the operator's commands on dead-letter topics. */
@Command(name = "dlt", mixinStandardHelpOptions = true,
        description = {"Inspect, replay and purge dead letters: the changes dualsync could not apply, in dualsync.dlt.<target>.",
                "Typical use: 'dlt list' to see what failed and why, fix the cause (data, schema or config), "
                        + "'dlt replay' to apply them again, 'dlt purge' to remove them."},
        subcommands = {DltListCommand.class, DltShowCommand.class, DltReplayCommand.class, DltPurgeCommand.class})
public final class DltCommand {
}
