package io.dualsync.launcher.bench;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.util.concurrent.locks.LockSupport;

/**
 * The streaming load: writes changes to the source table at a fixed rate, half inserts of new
 * rows and half updates of existing ones, every change setting {@code changed_at =
 * clock_timestamp()}. It works in ticks of {@value #TICK_MILLIS} ms: each tick writes, in one
 * transaction, the changes due by then (so 100 changes/s is one change a transaction, 5,000
 * changes/s fifty), and a writer that fell behind catches up in the next ticks. Updates walk the
 * existing ids in order, so no row is updated twice while there are fewer updates than rows.
 */
final class PacedWriter {

    static final int TICK_MILLIS = 10;

    private final Connection source;
    private final long existingRows;
    private long nextInsertId;
    private long nextUpdateId = 1;

    /**
     * @param source       a connection to the source database, used by nothing else meanwhile
     * @param existingRows rows 1..existingRows exist and may be updated
     * @param nextInsertId first id to insert (above every existing one)
     */
    PacedWriter(Connection source, long existingRows, long nextInsertId) {
        this.source = source;
        this.existingRows = existingRows;
        this.nextInsertId = nextInsertId;
    }

    /** What one run wrote: changes, distinct rows changed, and how long the writing took. */
    record Result(long changes, long distinctRows, long nanos) {
        double achievedRate() {
            return changes / (nanos / 1e9);
        }
    }

    /** Writes {@code rate} changes a second for {@code duration}. */
    Result run(int rate, Duration duration) throws SQLException {
        long total = (long) rate * duration.toSeconds();
        long started = System.nanoTime();
        long written = 0;
        long inserts = 0;
        long updates = 0;
        boolean autoCommit = source.getAutoCommit();
        source.setAutoCommit(false);
        try (PreparedStatement update = source.prepareStatement("""
                update public.orders
                   set amount = amount + 1.0001, quantity = quantity + 1,
                       status = case status when 'open' then 'released' else 'open' end,
                       changed_at = clock_timestamp()
                 where id between ? and ?""")) {
            long tick = 0;
            while (written < total) {
                tick++;
                long dueAt = started + tick * TICK_MILLIS * 1_000_000L;
                LockSupport.parkNanos(dueAt - System.nanoTime());
                long due = Math.min(total, (long) ((System.nanoTime() - started) / 1e9 * rate)) - written;
                if (due <= 0) {
                    continue;
                }
                long newRows = (due + (written & 1)) / 2; // alternate, so inserts and updates stay half and half
                long changedRows = due - newRows;
                if (newRows > 0) {
                    BenchTables.generate(source, nextInsertId, nextInsertId + newRows - 1);
                    nextInsertId += newRows;
                    inserts += newRows;
                }
                while (changedRows > 0) {
                    long from = nextUpdateId;
                    long to = Math.min(existingRows, from + changedRows - 1);
                    update.setLong(1, from);
                    update.setLong(2, to);
                    update.executeUpdate();
                    changedRows -= to - from + 1;
                    updates += to - from + 1;
                    nextUpdateId = to == existingRows ? 1 : to + 1;
                }
                source.commit();
                written += due;
            }
        } finally {
            source.setAutoCommit(autoCommit);
        }
        return new Result(written, inserts + Math.min(updates, existingRows), System.nanoTime() - started);
    }
}
