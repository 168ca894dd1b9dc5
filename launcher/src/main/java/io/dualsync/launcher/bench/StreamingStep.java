package io.dualsync.launcher.bench;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.Arrays;

/**
 * One step of steady load: the {@link PacedWriter} writes at a fixed rate for a fixed time, then
 * the step checks the lag (rows changed in the step whose change has not reached the target
 * {@code lagCheck} after the writer stopped), waits for the rest to arrive (up to
 * {@code drainTimeout}) and computes the latency of every change from its {@code changed_at}
 * (source commit, source clock) to its {@code applied_at} (target trigger, the same clock).
 */
final class StreamingStep {

    /** Changes written in the last this-many seconds of a step make up its tail window. */
    static final int TAIL_SECONDS = 10;

    private final Connection source;
    private final Connection target;
    private final PacedWriter writer;
    private final Duration lagCheck;
    private final Duration drainTimeout;
    private final Runnable healthCheck;

    StreamingStep(Connection source, Connection target, PacedWriter writer, Duration lagCheck, Duration drainTimeout,
                  Runnable healthCheck) {
        this.source = source;
        this.target = target;
        this.writer = writer;
        this.lagCheck = lagCheck;
        this.drainTimeout = drainTimeout;
        this.healthCheck = healthCheck;
    }

    /**
     * @param rate            changes a second asked for
     * @param achievedRate    changes a second the writer reached
     * @param changes         changes written
     * @param latency         source commit to target apply, every change of the step
     * @param headP99         p99 of the changes written in the first {@value #TAIL_SECONDS} s
     * @param tailP99         p99 of the changes written in the last {@value #TAIL_SECONDS} s
     * @param lagSeconds      when the lag was checked, seconds after the writer stopped
     * @param lagAtCheck      changes not yet applied then
     * @param drainedSeconds  seconds after the writer stopped until every change was applied; -1 if not within the drain timeout
     */
    record Result(int rate, int seconds, double achievedRate, long changes, LatencyStats latency, double headP99,
                  double tailP99, long lagSeconds, long lagAtCheck, double drainedSeconds) {
        boolean keptUp() {
            return lagAtCheck == 0;
        }
    }

    Result run(int rate, Duration duration) throws SQLException, InterruptedException {
        OffsetDateTime stepStart = now();
        PacedWriter.Result written = writer.run(rate, duration);
        OffsetDateTime stepEnd = now();
        long stopped = System.nanoTime();

        sleepUntil(stopped + lagCheck.toNanos());
        long lag = written.distinctRows() - appliedSince(stepStart);
        long left = lag;
        while (left > 0 && System.nanoTime() - stopped < drainTimeout.toNanos()) {
            healthCheck.run();
            Thread.sleep(1000); // each check scans the target table: not too often
            left = written.distinctRows() - appliedSince(stepStart);
        }
        // when the last change arrived, from the trigger's stamp rather than from our polling
        double drained = left > 0 ? -1 : Math.max(0, secondsBetween(stepEnd, lastAppliedSince(stepStart)));
        double[] all = latencies(stepStart, null);
        double[] head = latencies(stepStart, stepStart.plusSeconds(TAIL_SECONDS));
        double[] tail = latencies(stepEnd.minusSeconds(TAIL_SECONDS), null);
        return new Result(rate, (int) duration.toSeconds(), written.achievedRate(), written.changes(),
                LatencyStats.of(all), LatencyStats.of(head).p99(), LatencyStats.of(tail).p99(),
                lagCheck.toSeconds(), Math.max(0, lag), drained);
    }

    private OffsetDateTime now() throws SQLException {
        try (Statement s = source.createStatement(); ResultSet rs = s.executeQuery("select clock_timestamp()")) {
            rs.next();
            return rs.getObject(1, OffsetDateTime.class);
        }
    }

    private long appliedSince(OffsetDateTime since) throws SQLException {
        try (PreparedStatement ps = target.prepareStatement(
                "select count(*) from public." + BenchTables.SYNC_TARGET + " where changed_at >= ?")) {
            ps.setObject(1, since);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    private OffsetDateTime lastAppliedSince(OffsetDateTime since) throws SQLException {
        try (PreparedStatement ps = target.prepareStatement(
                "select max(applied_at) from public." + BenchTables.SYNC_TARGET + " where changed_at >= ?")) {
            ps.setObject(1, since);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getObject(1, OffsetDateTime.class);
            }
        }
    }

    /** Latencies in ms of the changes written from {@code from} (to {@code until}, if given). */
    private double[] latencies(OffsetDateTime from, OffsetDateTime until) throws SQLException {
        String sql = "select extract(epoch from (applied_at - changed_at)) * 1000 from public." + BenchTables.SYNC_TARGET
                + " where changed_at >= ?" + (until == null ? "" : " and changed_at < ?");
        try (PreparedStatement ps = target.prepareStatement(sql)) {
            ps.setObject(1, from);
            if (until != null) {
                ps.setObject(2, until);
            }
            double[] values = new double[1024];
            int n = 0;
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    if (n == values.length) {
                        values = Arrays.copyOf(values, n * 2);
                    }
                    values[n++] = rs.getDouble(1);
                }
            }
            return Arrays.copyOf(values, n);
        }
    }

    private static double secondsBetween(OffsetDateTime from, OffsetDateTime to) {
        return to == null ? 0 : Duration.between(from, to).toNanos() / 1e9;
    }

    private static void sleepUntil(long nanoTime) throws InterruptedException {
        long left;
        while ((left = nanoTime - System.nanoTime()) > 0) {
            Thread.sleep(Math.max(1, left / 1_000_000));
        }
    }
}
