package io.dualsync.launcher.bench;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * The baseline of the initial sync: the limit of the apply step without Kafka. Reads every source
 * row over one JDBC connection (a server-side cursor, 10,000 rows a fetch) and writes it to the
 * baseline target with batched {@code INSERT ... ON CONFLICT (order_no) DO UPDATE} on a
 * connection with {@code reWriteBatchedInserts=true}, {@value #BATCH} rows a batch and a commit
 * per batch. Values travel as the driver reads them (BigDecimal, OffsetDateTime, LocalDate):
 * no conversion, no serialization.
 */
final class BaselineCopy {

    static final int BATCH = 1_000;

    private BaselineCopy() {
    }

    /** Result: rows written and wall time. */
    record Result(long rows, long nanos) {
        double rowsPerSecond() {
            return rows / (nanos / 1e9);
        }
    }

    static Result run(String sourceUrl, String targetUrl, String user) throws SQLException {
        String[] columns = BenchTables.COLUMNS.split(",\\s*");
        String updates = Arrays.stream(columns).filter(c -> !c.equals("order_no"))
                .map(c -> c + " = excluded." + c).collect(Collectors.joining(", "));
        String upsert = "insert into public." + BenchTables.BASELINE_TARGET + " (" + BenchTables.COLUMNS + ") values ("
                + Arrays.stream(columns).map(c -> "?").collect(Collectors.joining(", ")) + ")"
                + " on conflict (order_no) do update set " + updates;
        long started = System.nanoTime();
        long rows = 0;
        try (Connection source = DriverManager.getConnection(sourceUrl, user, null);
             Connection target = DriverManager.getConnection(withRewrite(targetUrl), user, null)) {
            source.setAutoCommit(false); // a cursor: pgjdbc streams only outside auto-commit
            target.setAutoCommit(false);
            try (Statement read = source.createStatement();
                 PreparedStatement write = target.prepareStatement(upsert)) {
                read.setFetchSize(10_000);
                try (ResultSet rs = read.executeQuery("select " + BenchTables.COLUMNS + " from public." + BenchTables.SOURCE)) {
                    int inBatch = 0;
                    while (rs.next()) {
                        for (int i = 1; i <= columns.length; i++) {
                            write.setObject(i, rs.getObject(i));
                        }
                        write.addBatch();
                        rows++;
                        if (++inBatch == BATCH) {
                            write.executeBatch();
                            target.commit();
                            inBatch = 0;
                        }
                    }
                    if (inBatch > 0) {
                        write.executeBatch();
                        target.commit();
                    }
                }
            }
            source.commit();
        }
        return new Result(rows, System.nanoTime() - started);
    }

    static String withRewrite(String url) {
        return url + (url.contains("?") ? "&" : "?") + "reWriteBatchedInserts=true";
    }
}
