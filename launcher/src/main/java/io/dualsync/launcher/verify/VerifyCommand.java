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
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code dualsync verify}: compares both sides of table maps through the maps themselves
 * ({@link DirectionVerifier}) and reports rows missing on either side and rows whose mapped
 * values differ, with counts and keys. Exit code 0 when every verified map is in sync, 1 when
 * some rows differ, 2 when verify could not run (bad usage, a config or database problem).
 */
@Command(name = "verify", mixinStandardHelpOptions = true,
        description = {"Compares both sides of table maps through the maps (key, mapped columns, filters, company) and reports "
                + "rows missing on either side and rows whose mapped values differ.",
                "Exit code: 0 in sync, 1 differences found, 2 verify could not run."})
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

    @Option(names = "--work-dir", paramLabel = "DIR",
            description = "Where the temporary files go (some tens of bytes a row). Default: the system's temporary directory.")
    Path workDir;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter err = spec.commandLine().getErr();
        if (maxKeys < 0 || chunkSize < 1 || bucketRows < 1) {
            err.println("--max-keys must be 0 or more, --chunk-size and --bucket-rows 1 or more");
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
        List<DirectionResult> results = new ArrayList<>();
        Path dir = null;
        try {
            dir = Files.createTempDirectory(workDir == null ? Path.of(System.getProperty("java.io.tmpdir")) : workDir,
                    "dualsync-verify-");
            for (TableMap map : maps) {
                for (VerifiedDirection direction : VerifiedDirection.of(map)) {
                    results.add(verify(checked, direction, dir));
                }
            }
        } catch (SQLException | IOException | RuntimeException e) {
            err.println("verify could not finish: " + e.getMessage());
            return CANNOT_VERIFY;
        } finally {
            deleteQuietly(dir);
        }
        boolean inSync = results.stream().allMatch(r -> r.tally().inSync());
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            VerifyReport.printJson(results, inSync, out);
        } else {
            VerifyReport.printTable(results, out);
        }
        return inSync ? 0 : DIFFERENCES;
    }

    private DirectionResult verify(Startup.Checked checked, VerifiedDirection direction, Path dir) throws SQLException {
        SyncConfig syncConfig = checked.config();
        Endpoint sourceEndpoint = syncConfig.endpoint(direction.map().table(direction.from()).endpoint());
        Endpoint targetEndpoint = syncConfig.endpoint(direction.map().table(direction.to()).endpoint());
        SqlDialect sourceDialect = SqlDialects.of(sourceEndpoint.kind());
        SqlDialect targetDialect = SqlDialects.of(targetEndpoint.kind());
        try (Connection source = EndpointConnections.open(sourceEndpoint);
             Connection target = EndpointConnections.open(targetEndpoint)) {
            DirectionResult result = new DirectionVerifier(syncConfig, checked.catalog(), direction, chunkSize, bucketRows, dir)
                    .verify(source, sourceDialect, target, targetDialect, maxKeys);
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
