package io.dualsync.launcher.bench;

import io.dualsync.launcher.DualsyncCommand;
import io.dualsync.launcher.infra.EmbeddedPostgres;
import io.dualsync.launcher.process.ChildService;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code dualsync bench --scenarios verify}: how long {@code dualsync verify} takes on a table of
 * {@code --rows} rows (PostgreSQL to PostgreSQL, the 12-column order table, both sides generated
 * directly, no pipeline) and how much heap it needs, beside two baselines on the same server in
 * the same run: reading both tables once over JDBC with a fetch size (the least any client-side
 * comparison must do) and counting the differences in the database with {@code EXCEPT} both
 * ways (possible here only because both tables share a database). Verify runs as a child JVM
 * with a capped heap ({@code --verify-heap}); its peak heap comes from its GC log, its peak
 * resident set from {@code /proc}. Runs twice: with both sides equal, then after changing
 * {@code differences} rows on the target (a third updated, a third deleted, a third added).
 */
final class VerifyScenario {

    private static final Pattern GC_HEAP = Pattern.compile("(\\d+)M->(\\d+)M\\((\\d+)M\\)");

    /** One timed step, with the load average when it ended (the machine may be shared). */
    record Step(String name, double seconds, Map<String, Object> details, String loadAverage) {
        Step(String name, double seconds, Map<String, Object> details) {
            this(name, seconds, details, currentLoadAverage());
        }

        private static String currentLoadAverage() {
            try {
                return Files.readString(Path.of("/proc/loadavg")).strip();
            } catch (IOException e) {
                return "unknown";
            }
        }
    }

    private final long rows;
    private final long differences;
    private final String verifyHeap;
    private final Path work;
    private final PrintWriter out;

    VerifyScenario(long rows, long differences, String verifyHeap, Path work, PrintWriter out) {
        this.rows = rows;
        this.differences = differences;
        this.verifyHeap = verifyHeap;
        this.work = work;
        this.out = out;
    }

    /** Runs the scenario, prints a table and writes {@code verify.json} into {@code resultDir}. */
    List<Step> run(EmbeddedPostgres postgres, Path resultDir) throws Exception {
        String url = postgres.createDatabase("bench_verify");
        List<Step> steps = new ArrayList<>();
        try (Connection c = DriverManager.getConnection(url, postgres.user(), null)) {
            out.printf("Generating %,d rows on each side ...%n", rows);
            out.flush();
            BenchTables.createSource(c);
            BenchTables.createTarget(c, BenchTables.SYNC_TARGET);
            for (long from = 1; from <= rows; from += 250_000) {
                BenchTables.generate(c, from, Math.min(rows, from + 249_999));
            }
            exec(c, "insert into public." + BenchTables.SYNC_TARGET + " (" + BenchTables.COLUMNS + ") select "
                    + BenchTables.COLUMNS + " from public." + BenchTables.SOURCE);
            exec(c, "vacuum analyze");
            Path config = BenchConfigFile.write(work, "localhost:9", "http://localhost:9", url, url, postgres.user(), 1, Map.of());

            steps.add(jdbcReadBaseline(c));
            steps.add(exceptBaseline(c));
            steps.add(verify(config, "verify, in sync", 0));
            makeDifferences(c);
            steps.add(exceptBaseline(c));
            steps.add(verify(config, "verify, " + differences + " differences", 1));
        }
        print(steps);
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("rows", rows);
        result.put("machine", MachineInfo.collect(postgresVersion(url, postgres.user())));
        result.put("steps", steps);
        new com.fasterxml.jackson.databind.ObjectMapper()
                .writerWithDefaultPrettyPrinter().writeValue(resultDir.resolve("verify.json").toFile(), result);
        out.println("Results: " + resultDir.resolve("verify.json"));
        return steps;
    }

    /** Baseline: both tables streamed once over JDBC (fetch size 10,000), every column read. */
    private Step jdbcReadBaseline(Connection c) throws SQLException {
        out.println("Baseline: reading both tables over JDBC ...");
        out.flush();
        long started = System.nanoTime();
        long read = 0;
        boolean autoCommit = c.getAutoCommit();
        c.setAutoCommit(false); // pgjdbc uses a server-side cursor only inside a transaction
        try {
            for (String table : List.of(BenchTables.SOURCE, BenchTables.SYNC_TARGET)) {
                try (Statement s = c.createStatement()) {
                    s.setFetchSize(10_000);
                    try (ResultSet rs = s.executeQuery("select " + BenchTables.COLUMNS + " from public." + table)) {
                        int n = rs.getMetaData().getColumnCount();
                        while (rs.next()) {
                            for (int i = 1; i <= n; i++) {
                                rs.getObject(i);
                            }
                            read++;
                        }
                    }
                }
            }
            c.commit();
        } finally {
            c.setAutoCommit(autoCommit);
        }
        return new Step("baseline: JDBC read of both tables", seconds(started), Map.of("rowsRead", read));
    }

    /** Baseline: the differences counted inside the database, EXCEPT both ways. */
    private Step exceptBaseline(Connection c) throws SQLException {
        out.println("Baseline: EXCEPT both ways ...");
        out.flush();
        long started = System.nanoTime();
        String cols = BenchTables.COLUMNS;
        long missing = count(c, "select count(*) from (select " + cols + " from public." + BenchTables.SOURCE
                + " except select " + cols + " from public." + BenchTables.SYNC_TARGET + ") d");
        long extra = count(c, "select count(*) from (select " + cols + " from public." + BenchTables.SYNC_TARGET
                + " except select " + cols + " from public." + BenchTables.SOURCE + ") d");
        return new Step("baseline: EXCEPT both ways in the database", seconds(started),
                Map.of("sourceRowsNotOnTarget", missing, "targetRowsNotOnSource", extra));
    }

    /** A third of the differences updated, a third deleted, a third added, spread over the table. */
    private void makeDifferences(Connection c) throws SQLException {
        long third = Math.max(1, differences / 3);
        long step = Math.max(1, rows / differences);
        exec(c, "update public." + BenchTables.SYNC_TARGET + " set amount = amount + 1 where id in (select g * " + step
                + " from generate_series(1, " + third + ") g)");
        exec(c, "delete from public." + BenchTables.SYNC_TARGET + " where id in (select g * " + step + " + 1 from generate_series(1, "
                + third + ") g)");
        exec(c, "insert into public." + BenchTables.SYNC_TARGET + " (" + BenchTables.COLUMNS + ") select id + " + rows
                + ", 'XX-' || order_no, customer_no, amount, tax, quantity, status, currency, order_date, created_at, changed_at, note from public."
                + BenchTables.SOURCE + " where id in (select g * " + step + " + 2 from generate_series(1, " + (differences - 2 * third) + ") g)");
    }

    /** {@code dualsync verify --all --json} as a child JVM with {@code -Xmx<verifyHeap>}. */
    private Step verify(Path config, String name, int expectedExit) throws Exception {
        out.printf("%s: dualsync verify in a child JVM (-Xmx%s) ...%n", name, verifyHeap);
        out.flush();
        Path gcLog = Files.createTempFile(work, "verify-gc-", ".log");
        Path output = Files.createTempFile(work, "verify-out-", ".json");
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx" + verifyHeap, "-Xlog:gc:file=" + gcLog, "-cp", ChildService.classPath(),
                DualsyncCommand.class.getName(), "verify", "--config", config.toString(), "--all", "--json",
                "--work-dir", work.toString()));
        long started = System.nanoTime();
        Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile()).start();
        long peakRss = 0;
        double cpu = 0;
        while (!process.waitFor(100, TimeUnit.MILLISECONDS)) {
            var reading = ProcessSampler.read(process.pid());
            if (reading.isPresent()) {
                peakRss = Math.max(peakRss, reading.get().peakKib());
                cpu = Math.max(cpu, reading.get().cpuSeconds());
            }
        }
        double took = seconds(started);
        int exit = process.exitValue();
        if (exit != expectedExit) {
            throw new IllegalStateException("verify exited with " + exit + " (expected " + expectedExit + "); see " + output);
        }
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("exitCode", exit);
        details.put("maxHeap", verifyHeap);
        details.put("peakHeapMiB", peakHeapMiB(gcLog, 1));
        details.put("peakHeapAfterGcMiB", peakHeapMiB(gcLog, 2));
        details.put("peakRssMiB", peakRss / 1024);
        // sampled every 100 ms until the JVM exits: JVM start and catalog read included
        details.put("cpuSecondsAtLeast", Math.round(cpu * 10) / 10.0);
        details.put("report", output.toString());
        return new Step(name, took, details);
    }

    /**
     * The largest heap occupancy in a {@code -Xlog:gc} log ({@code 24M->3M(64M)}): before a
     * collection (group 1: what the heap filled up to, which grows with {@code -Xmx}) or after one
     * (group 2: what was still in use, close to what verify needs).
     */
    private static long peakHeapMiB(Path gcLog, int group) throws IOException {
        long peak = 0;
        for (String line : Files.readAllLines(gcLog)) {
            Matcher m = GC_HEAP.matcher(line);
            if (m.find()) {
                peak = Math.max(peak, Long.parseLong(m.group(group)));
            }
        }
        return peak;
    }

    private void print(List<Step> steps) {
        out.println();
        out.printf("Verify, %,d rows a side%n", rows);
        for (Step s : steps) {
            out.printf("  %-45s %8.1f s  %s  (load %s)%n", s.name(), s.seconds(), s.details(), s.loadAverage());
        }
        out.flush();
    }

    private static String postgresVersion(String url, String user) throws SQLException {
        try (Connection c = DriverManager.getConnection(url, user, null); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("show server_version")) {
            rs.next();
            return "PostgreSQL " + rs.getString(1);
        }
    }

    private static double seconds(long startedNanos) {
        return (System.nanoTime() - startedNanos) / 1e9;
    }

    private static long count(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static void exec(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }
}
