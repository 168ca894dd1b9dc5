package io.dualsync.launcher.bench;

import io.dualsync.launcher.infra.EmbeddedPostgres;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;

/**
 * The benchmark's two databases on the one embedded PostgreSQL server: {@code bench_src} with
 * {@code public.orders} and {@code bench_dst} with the two targets. One server means one clock
 * for {@code changed_at} and {@code applied_at}.
 *
 * @param sourceUrl  JDBC URL of the source
 * @param targetUrl  JDBC URL of the targets, as the baseline and the benchmark's checks use it
 * @param applyUrl   JDBC URL of the targets as the apply service gets it (with the URL parameters under test)
 * @param user       the user of both
 */
record BenchDatabases(String sourceUrl, String targetUrl, String applyUrl, String user) {

    /** Creates both databases and their tables, and generates {@code rows} source rows. */
    static BenchDatabases create(EmbeddedPostgres postgres, long rows, String applyUrlParameters) throws SQLException {
        String source = postgres.createDatabase("bench_src");
        String target = postgres.createDatabase("bench_dst");
        String apply = applyUrlParameters == null || applyUrlParameters.isBlank() ? target : target + "?" + applyUrlParameters;
        BenchDatabases dbs = new BenchDatabases(source, target, apply, postgres.user());
        try (Connection s = dbs.source(); Connection t = dbs.target()) {
            BenchTables.createSource(s);
            BenchTables.createTarget(t, BenchTables.SYNC_TARGET);
            BenchTables.createTarget(t, BenchTables.BASELINE_TARGET);
            for (long from = 1; from <= rows; from += 250_000) {
                BenchTables.generate(s, from, Math.min(rows, from + 249_999));
            }
            try (var st = s.createStatement()) {
                st.execute("vacuum analyze public." + BenchTables.SOURCE);
            }
        }
        return dbs;
    }

    Connection source() throws SQLException {
        return DriverManager.getConnection(sourceUrl, user, null);
    }

    Connection target() throws SQLException {
        return DriverManager.getConnection(targetUrl, user, null);
    }
}
