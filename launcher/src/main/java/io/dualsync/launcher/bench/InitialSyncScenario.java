package io.dualsync.launcher.bench;

import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Scenario 1, initial sync: the baseline (plain JDBC batched upserts of the same rows, no Kafka)
 * first, then dualsync from the start of its three services on an empty target until the last of
 * the N rows is committed there. dualsync's time runs from the moment the services are launched
 * (the JVMs' start, Debezium's snapshot and everything after it included) to the largest
 * {@code applied_at} the target's trigger stamped; both times come from the PostgreSQL clock.
 */
final class InitialSyncScenario {

    /**
     * @param rows              rows synced
     * @param baselineSeconds   baseline wall time
     * @param dualsyncSeconds   service launch to last row committed
     * @param firstRowSeconds   service launch to first row committed (start-up and snapshot set-up)
     * @param applyWindowSeconds first to last row committed
     * @param cpuSeconds         CPU time each watched process used from the services' launch to the last row
     */
    record Result(long rows, double baselineSeconds, double dualsyncSeconds, double firstRowSeconds,
                  double applyWindowSeconds, Map<String, Double> cpuSeconds) {
        double baselineRowsPerSecond() {
            return rows / baselineSeconds;
        }

        double dualsyncRowsPerSecond() {
            return rows / dualsyncSeconds;
        }

        /** Rows a second while rows were arriving, start-up excluded. */
        double steadyRowsPerSecond() {
            return rows / applyWindowSeconds;
        }

        double ratio() {
            return dualsyncRowsPerSecond() / baselineRowsPerSecond();
        }
    }

    private final BenchDatabases databases;
    private final Runnable startServices;
    private final Runnable healthCheck;
    private final Duration timeout;
    private final ProcessSampler sampler;

    /**
     * @param startServices launches the services
     * @param healthCheck   throws when a service has died
     */
    InitialSyncScenario(BenchDatabases databases, Runnable startServices, Runnable healthCheck, Duration timeout,
                        ProcessSampler sampler) {
        this.sampler = sampler;
        this.databases = databases;
        this.startServices = startServices;
        this.healthCheck = healthCheck;
        this.timeout = timeout;
    }

    Result run(long rows, PrintWriter out) throws SQLException, InterruptedException {
        out.printf("Baseline: copying %,d rows with JDBC batched upserts (%d a batch, reWriteBatchedInserts) ...%n", rows, BaselineCopy.BATCH);
        out.flush();
        BaselineCopy.Result baseline = BaselineCopy.run(databases.sourceUrl(), databases.targetUrl(), databases.user());
        if (baseline.rows() != rows) {
            throw new IllegalStateException("baseline copied " + baseline.rows() + " rows, expected " + rows);
        }
        out.printf("  baseline: %,d rows in %.1f s = %,.0f rows/s%n", rows, baseline.nanos() / 1e9, baseline.rowsPerSecond());
        out.flush();

        try (Connection target = databases.target()) {
            Map<String, ProcessSampler.Reading> before = sampler.readings();
            OffsetDateTime launched = clock(target);
            startServices.run();
            out.printf("dualsync: services launched; waiting for %,d rows on the target ...%n", rows);
            out.flush();
            long deadline = System.nanoTime() + timeout.toNanos();
            long lastPrint = System.nanoTime();
            long count = 0;
            while ((count = BenchTables.count(target, BenchTables.SYNC_TARGET)) < rows) {
                healthCheck.run();
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("initial sync incomplete after " + timeout.toMinutes() + " min: "
                            + count + " of " + rows + " rows");
                }
                if (System.nanoTime() - lastPrint > 10_000_000_000L) {
                    out.printf("  %,d / %,d rows%n", count, rows);
                    out.flush();
                    lastPrint = System.nanoTime();
                }
                Thread.sleep(1000);
            }
            OffsetDateTime first;
            OffsetDateTime last;
            try (Statement s = target.createStatement();
                 ResultSet rs = s.executeQuery("select min(applied_at), max(applied_at) from public." + BenchTables.SYNC_TARGET)) {
                rs.next();
                first = rs.getObject(1, OffsetDateTime.class);
                last = rs.getObject(2, OffsetDateTime.class);
            }
            Map<String, Double> cpu = new LinkedHashMap<>();
            sampler.readings().forEach((name, r) -> cpu.put(name,
                    r.cpuSeconds() - (before.containsKey(name) ? before.get(name).cpuSeconds() : 0)));
            Result result = new Result(rows, baseline.nanos() / 1e9, seconds(launched, last), seconds(launched, first),
                    seconds(first, last), cpu);
            out.printf("  dualsync: %,d rows in %.1f s = %,.0f rows/s (first row after %.1f s; %,.0f rows/s from first to last)%n",
                    rows, result.dualsyncSeconds(), result.dualsyncRowsPerSecond(), result.firstRowSeconds(),
                    result.steadyRowsPerSecond());
            out.flush();
            return result;
        }
    }

    static OffsetDateTime clock(Connection c) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("select clock_timestamp()")) {
            rs.next();
            return rs.getObject(1, OffsetDateTime.class);
        }
    }

    private static double seconds(OffsetDateTime from, OffsetDateTime to) {
        return Duration.between(from, to).toNanos() / 1e9;
    }
}
