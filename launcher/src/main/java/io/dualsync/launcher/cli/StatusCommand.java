package io.dualsync.launcher.cli;

import io.dualsync.config.ConfigException;
import io.dualsync.config.ConfigLoader;
import io.dualsync.config.SyncConfig;
import io.dualsync.launcher.status.StatusReport;
import io.dualsync.launcher.status.StatusView;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code dualsync status}: the sync log of the config's maps since a time, the dead letters per
 * target and the consumer lag, as a table or as JSON. Reads only the broker (no database, no
 * registry). Exit code 0, or 1 when the config is invalid or the broker unreachable.
 */
@Command(name = "status", mixinStandardHelpOptions = true,
        description = "Shows per map what was inserted, updated, deleted, skipped and failed, with latency p50/p99, "
                + "the dead letters per target and the consumer lag.")
public final class StatusCommand implements Callable<Integer> {

    private static final Pattern AGO = Pattern.compile("(\\d{1,6})([smhd])");

    @Mixin
    ConfigOption config;

    @Option(names = "--since", paramLabel = "AGE|INSTANT", defaultValue = "1h",
            description = "How far back: 15m, 1h, 7d, or an instant like 2026-11-30T14:00:00Z (default ${DEFAULT-VALUE}).")
    String since;

    @Option(names = "--by-minute", description = "Also one line per map and minute.")
    boolean byMinute;

    @Option(names = "--json", description = "JSON for scripts instead of tables.")
    boolean json;

    @Option(names = "--timeout", paramLabel = "SECONDS", defaultValue = "10",
            description = "How long to wait for the broker (default ${DEFAULT-VALUE}).")
    int timeoutSeconds;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        SyncConfig syncConfig;
        try {
            syncConfig = ConfigLoader.load(config.file);
        } catch (ConfigException e) {
            spec.commandLine().getErr().println(e.getMessage());
            return 1;
        }
        Instant from;
        try {
            from = since(since, Instant.now());
        } catch (IllegalArgumentException e) {
            spec.commandLine().getErr().println(e.getMessage());
            return 1;
        }
        StatusReport report;
        try {
            report = StatusReport.read(syncConfig, from, Duration.ofSeconds(timeoutSeconds));
        } catch (StatusReport.BrokerUnreachableException e) {
            spec.commandLine().getErr().println(e.getMessage());
            return 1;
        }
        if (json) {
            spec.commandLine().getOut().println(StatusView.json(report, byMinute));
            spec.commandLine().getOut().flush();
        } else {
            StatusView.table(report, byMinute, spec.commandLine().getOut());
        }
        return 0;
    }

    static Instant since(String text, Instant now) {
        Matcher m = AGO.matcher(text.strip());
        if (m.matches()) {
            long n = Long.parseLong(m.group(1));
            return now.minus(switch (m.group(2)) {
                case "s" -> Duration.ofSeconds(n);
                case "m" -> Duration.ofMinutes(n);
                case "h" -> Duration.ofHours(n);
                default -> Duration.ofDays(n);
            });
        }
        try {
            return Instant.parse(text.strip());
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("--since '" + text + "' is neither an age (15m, 1h, 7d) nor an instant (2026-11-30T14:00:00Z)");
        }
    }
}
