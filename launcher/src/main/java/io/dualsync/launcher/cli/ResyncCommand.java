package io.dualsync.launcher.cli;

import io.dualsync.launcher.Resync;
import io.dualsync.launcher.Startup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;

/**
 * {@code dualsync resync --map NAME [--since TIME] [--from ENDPOINT]}: asks the running capture
 * to read one map's source table(s) again ({@link Resync}) and exits; the pipeline keeps running.
 * Exit code 0 when every request was sent, 1 when the config, the map, the time or an endpoint
 * refused it (nothing or only the requests printed before the error were sent).
 */
@Command(name = "resync", mixinStandardHelpOptions = true,
        description = {"Synchronizes one map again, or only its rows changed since a time, while dualsync runs:"
                + " asks the capture of each side the map flows from for an incremental snapshot of the side's table.",
                "The rows travel the usual path: a target row that differs from its source row is rewritten (a conflict"
                        + " under the map's policy if the map is bidirectional), one that matches is left alone."})
public final class ResyncCommand implements Callable<Integer> {

    @Mixin
    ConfigOption config;

    @Option(names = "--map", required = true, paramLabel = "NAME", description = "The map to resynchronize.")
    String map;

    @Option(names = "--since", paramLabel = "TIME", description = "Only rows whose changed-at column (the map's"
            + " changedAt) is at or after TIME: ISO-8601, e.g. 2026-11-30T15:00:00Z; a time without offset is meant"
            + " in the endpoint's timezone (UTC when it has none).")
    String since;

    @Option(names = "--from", paramLabel = "ENDPOINT", description = "Resync from this side only (its endpoint,"
            + " or a / b); default: every side the map flows from.")
    String from;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        Startup.Checked checked;
        List<Resync.Request> requests;
        try {
            checked = Startup.loadAndCheck(config.file);
            requests = Resync.plan(checked.config(), checked.catalog(), map, Optional.ofNullable(since),
                    Optional.ofNullable(from));
        } catch (Startup.StartupException | Resync.Refused e) {
            err.println(e.getMessage());
            return 1;
        }
        for (Resync.Request request : requests) {
            try {
                String id = Resync.send(checked.config(), List.of(request)).getFirst();
                out.println("requested: " + request.describe() + "; signal " + id);
            } catch (SQLException e) {
                err.println("could not send the resync signal of " + request.describe() + ": SQLState " + e.getSQLState()
                        + ": " + e.getMessage() + " (the signaling table is created when the endpoint's capture starts)");
                return 1;
            }
        }
        out.println("the rows follow through capture, transform and apply while dualsync runs");
        return 0;
    }
}
