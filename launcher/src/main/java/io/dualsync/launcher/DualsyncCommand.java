package io.dualsync.launcher;

import io.dualsync.launcher.bench.BenchCommand;
import io.dualsync.launcher.cli.ApplyCommand;
import io.dualsync.launcher.cli.CaptureCommand;
import io.dualsync.launcher.cli.ConnectConfigCommand;
import io.dualsync.launcher.cli.DemoCommand;
import io.dualsync.launcher.cli.DltCommand;
import io.dualsync.launcher.cli.InfraCommand;
import io.dualsync.launcher.cli.ResyncCommand;
import io.dualsync.launcher.cli.RunCommand;
import io.dualsync.launcher.cli.StatusCommand;
import io.dualsync.launcher.cli.TransformCommand;
import io.dualsync.launcher.cli.ValidateCommand;
import io.dualsync.launcher.verify.VerifyCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code dualsync} command. {@code run} starts all three services in one process; {@code
 * capture}, {@code transform} and {@code apply} start one each, for scaling out; {@code validate}
 * checks a config against the live databases; {@code verify} compares both sides of maps;
 * {@code resync} synchronizes one map again while dualsync runs; {@code dlt} lists, shows, replays
 * and purges dead letters; {@code status} shows the sync log, dead letters and consumer lag;
 * {@code demo} and {@code infra} start embedded
 * infrastructure for trying dualsync out; {@code bench} measures it there.
 */
@Command(name = "dualsync", mixinStandardHelpOptions = true, version = "dualsync 0.1.0-SNAPSHOT",
        description = "Keeps tables of different application databases in sync through Kafka.",
        subcommands = {RunCommand.class, CaptureCommand.class, TransformCommand.class, ApplyCommand.class,
                ValidateCommand.class, VerifyCommand.class, ConnectConfigCommand.class, ResyncCommand.class, DltCommand.class, StatusCommand.class,
                DemoCommand.class, InfraCommand.class, BenchCommand.class, CommandLine.HelpCommand.class})
public final class DualsyncCommand {

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    /** The command line with every subcommand, as {@code main} runs it; tests call it too. */
    public static CommandLine commandLine() {
        return new CommandLine(new DualsyncCommand()).setCaseInsensitiveEnumValuesAllowed(true);
    }
}
