package io.dualsync.launcher.verify;

import io.dualsync.apply.SqlDialect;
import io.dualsync.apply.SqlDialects;
import io.dualsync.config.Endpoint;
import io.dualsync.config.SyncConfig;
import io.dualsync.config.TableMap;
import io.dualsync.launcher.Startup;
import io.dualsync.launcher.cli.ConfigOption;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code dualsync verify}: compares both sides of table maps through the maps themselves
 * ({@link DirectionVerifier}) and reports rows missing on either side and rows whose mapped
 * values differ, with counts and keys; with {@code --repair} it then asks the source sides' running
 * captures to read the missing and differing rows again ({@link Repair}), and with {@code --wait} it
 * verifies again until in sync or out of time. Exit code 0 when every verified map is in sync, 1
 * when some rows differ (also when a repair was requested: the rows are in flight, verify again to
 * see them arrive), 2 when verify could not run (bad usage, a config or database problem, a repair
 * signal that could not be sent).
 */
@Command(name = "verify", mixinStandardHelpOptions = true,
        description = {"Compares both sides of table maps through the maps (key, mapped columns, filters, company) and reports "
                + "rows missing on either side and rows whose mapped values differ.",
                "With --repair, asks the running capture to read the missing and differing rows again (extra target rows are"
                        + " not repaired).",
                "Exit code: 0 in sync, 1 differences found (also when a repair was requested), 2 verify could not run."})
public final class VerifyCommand implements Callable<Integer> {

    /** Exit code when some rows differ. */
    public static final int DIFFERENCES = 1;
    /** Exit code when verify could not run: bad usage, config or database problem. */
    public static final int CANNOT_VERIFY = 2;

    @Mixin
    ConfigOption config;

    @ArgGroup(exclusive = true, multiplicity = "1")
    Selection selection;

    static final class Selection {
        @Option(names = "--map", paramLabel = "NAME", required = true, description = "A map to verify; repeatable.")
        List<String> maps;

        @Option(names = "--all", required = true, description = "Verify every map of the config.")
        boolean all;
    }

    @Option(names = "--max-keys", defaultValue = "20", paramLabel = "N",
            description = "Keys listed per kind of difference and direction. Default: ${DEFAULT-VALUE}.")
    int maxKeys;

    @Option(names = "--show-values", description = "Also show, for listed differing rows, the differing columns' values on both sides.")
    boolean showValues;

    @Option(names = "--json", description = "Print the result as JSON.")
    boolean json;

    @Option(names = "--chunk-size", defaultValue = "10000", paramLabel = "ROWS",
            description = "Rows read per query. Default: ${DEFAULT-VALUE}.")
    int chunkSize;

    @Option(names = "--bucket-rows", defaultValue = "100000", paramLabel = "ROWS",
            description = "About how many rows are compared in memory at once. Default: ${DEFAULT-VALUE}.")
    int bucketRows;

    @Option(names = "--repair", description = "After verifying, ask the running capture of each source side to read again"
            + " exactly the rows missing on the target or differing (incremental-snapshot signals restricted to their keys),"
            + " so they take the normal path. Rows extra on the target are not repaired.")
    boolean repair;

    @Option(names = "--keys-per-signal", defaultValue = "500", paramLabel = "N",
            description = "With --repair, keys per snapshot signal at most. Default: ${DEFAULT-VALUE}.")
    int keysPerSignal;

    @Option(names = "--wait", paramLabel = "SECONDS",
            description = "Verify again every few seconds until the maps are in sync or SECONDS have passed; the exit code"
                    + " is that of the last verify. With --repair: repair once, then wait.")
    Integer waitSeconds;

    @Option(names = "--work-dir", paramLabel = "DIR",
            description = "Where the temporary files go (some tens of bytes a row). Default: the system's temporary directory.")
    Path workDir;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter err = spec.commandLine().getErr();
        PrintWriter out = spec.commandLine().getOut();
        if (maxKeys < 0 || chunkSize < 1 || bucketRows < 1 || keysPerSignal < 1 || (waitSeconds != null && waitSeconds < 0)) {
            err.println("--max-keys and --wait must be 0 or more, --chunk-size, --bucket-rows and --keys-per-signal 1 or more");
            return CANNOT_VERIFY;
        }
        Startup.Checked checked;
        try {
            checked = Startup.loadAndCheck(config.file());
        } catch (Startup.StartupException e) {
            err.println(e.getMessage());
            return CANNOT_VERIFY;
        }
        List<TableMap> maps = new ArrayList<>();
        if (selection.all) {
            maps.addAll(checked.config().maps());
        } else {
            for (String name : selection.maps) {
                var map = checked.config().map(name);
                if (map.isEmpty()) {
                    err.printf("%s has no map named '%s'; it has: %s%n", config.file(), name,
                            checked.config().maps().stream().map(TableMap::name).toList());
                    return CANNOT_VERIFY;
                }
                maps.add(map.get());
            }
        }
        for (TableMap map : maps) {
            for (io.dualsync.config.Side side : io.dualsync.config.Side.values()) {
                List<String> fields = map.filter(side).referenceFields();
                if (!fields.isEmpty()) {
                    // verify reads one table per side; the parent rows such a filter needs are not read (yet)
                    err.printf("map '%s' cannot be verified: its filter on side %s tests a parent's columns (%s),"
                                    + " which verify does not read. Verify the other maps by name with --map.%n",
                            map.name(), side.label(), String.join(", ", fields));
                    return CANNOT_VERIFY;
                }
            }
        }
        Run run = verifyOnce(checked, maps, repair, err);
        if (run == null) {
            return CANNOT_VERIFY;
        }
        if (waitSeconds != null && !run.inSync()) {
            long deadline = System.nanoTime() + Duration.ofSeconds(waitSeconds).toNanos();
            while (!run.inSync() && System.nanoTime() < deadline) {
                if (!json) { // JSON prints one document, of the last verify
                    report(run, out);
                    out.printf("%nnot in sync yet; verifying again in %d s%n%n", WAIT_PAUSE.toSeconds());
                    out.flush();
                }
                try {
                    Thread.sleep(Math.max(0, Math.min(WAIT_PAUSE.toMillis(),
                            Duration.ofNanos(deadline - System.nanoTime()).toMillis())));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
                Run next = verifyOnce(checked, maps, false, err);
                if (next == null) {
                    return CANNOT_VERIFY;
                }
                // the repair requested in the first run stays part of the report
                run = new Run(next.results(), run.repairs(), run.repairFailure());
            }
        }
        report(run, out);
        if (run.repairFailure() != null) {
            err.println(run.repairFailure());
            return CANNOT_VERIFY;
        }
        return run.inSync() ? 0 : DIFFERENCES;
    }

    /** Pause between two verifies of {@code --wait}. */
    static final Duration WAIT_PAUSE = Duration.ofSeconds(5);

    /** One verify of every selected map, with what was requested to repair it (when asked). */
    private record Run(List<DirectionResult> results, List<Repair.Result> repairs, String repairFailure) {
        boolean inSync() {
            return results.stream().allMatch(r -> r.tally().inSync());
        }
    }

    /** @return null when verify could not run (the reason is printed to {@code err}) */
    private Run verifyOnce(Startup.Checked checked, List<TableMap> maps, boolean repairing, PrintWriter err) {
        List<DirectionResult> results = new ArrayList<>();
        List<Repair.Result> repairs = new ArrayList<>();
        String repairFailure = null;
        Path dir = null;
        try {
            dir = Files.createTempDirectory(workDir == null ? Path.of(System.getProperty("java.io.tmpdir")) : workDir,
                    "dualsync-verify-");
            for (TableMap map : maps) {
                for (VerifiedDirection direction : VerifiedDirection.of(map)) {
                    try (RepairKeys keys = repairing ? new RepairKeys(dir, direction.label()) : null) {
                        DirectionResult result = verify(checked, direction, dir, keys);
                        results.add(result);
                        if (keys != null && repairFailure == null && !result.tally().inSync()) {
                            try {
                                repairs.add(Repair.send(checked.config(), checked.catalog(), result, keys, keysPerSignal));
                            } catch (Repair.SendFailed e) {
                                repairs.add(new Repair.Result(result, 0, e.sent));
                                repairFailure = e.getMessage();
                            }
                        }
                    }
                }
            }
        } catch (SQLException | IOException | RuntimeException e) {
            err.println("verify could not finish: " + e.getMessage());
            return null;
        } finally {
            deleteQuietly(dir);
        }
        return new Run(results, repairs, repairFailure);
    }

    private void report(Run run, PrintWriter out) {
        if (json) {
            VerifyReport.printJson(run.results(), run.inSync(), repair ? run.repairs() : null, out);
        } else {
            VerifyReport.printTable(run.results(), out);
            if (repair) {
                VerifyReport.printRepairs(run.repairs(), run.inSync(), out);
            }
        }
    }

    private DirectionResult verify(Startup.Checked checked, VerifiedDirection direction, Path dir, RepairKeys repairKeys)
            throws SQLException {
        SyncConfig syncConfig = checked.config();
        Endpoint sourceEndpoint = syncConfig.endpoint(direction.map().table(direction.from()).endpoint());
        Endpoint targetEndpoint = syncConfig.endpoint(direction.map().table(direction.to()).endpoint());
        SqlDialect sourceDialect = SqlDialects.of(sourceEndpoint.kind());
        SqlDialect targetDialect = SqlDialects.of(targetEndpoint.kind());
        try (Connection source = EndpointConnections.open(sourceEndpoint);
             Connection target = EndpointConnections.open(targetEndpoint)) {
            DirectionResult result = new DirectionVerifier(syncConfig, checked.catalog(), direction, chunkSize, bucketRows, dir)
                    .verify(source, sourceDialect, target, targetDialect, maxKeys, repairKeys);
            if (showValues && result.tally().count(Category.DIFFERING) > 0) {
                result = result.withValues(ValueDifferences.of(syncConfig, checked.catalog(), result, source, sourceDialect,
                        target, targetDialect));
            }
            return result;
        }
    }

    private static void deleteQuietly(Path dir) {
        if (dir == null) {
            return;
        }
        try (var files = Files.list(dir)) {
            for (Path f : files.toList()) {
                Files.deleteIfExists(f);
            }
            Files.deleteIfExists(dir);
        } catch (IOException ignored) {
            // an empty temporary directory left behind
        }
    }
}
