package io.dualsync.launcher.verify;

import io.dualsync.capture.ResyncSignal;
import io.dualsync.catalog.Catalog;
import io.dualsync.catalog.TableSchema;
import io.dualsync.config.Endpoint;
import io.dualsync.config.SyncConfig;
import io.dualsync.config.TableRef;
import io.dualsync.transform.ExpectedRows;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * {@code verify --repair} for one verified direction: asks the source side's running capture to
 * read again exactly the rows verify found missing on the target or differing, so they take the
 * normal path (transform, apply with its newer-only and conflict rules), like
 * {@code dualsync resync}. The keys ({@link RepairKeys}) are sent in incremental-snapshot signals
 * ({@link ResyncSignal}) of at most {@code keysPerSignal} keys (and {@link #MAX_CONDITION_CHARS}) each, restricted by a
 * {@link KeyCondition} on the source table. Rows extra on the target and unmappable rows are not
 * repaired: a source snapshot cannot remove a target row, nor map a row the map refuses.
 */
final class Repair {

    /**
     * Characters of key condition per signal at most, whatever {@code keysPerSignal} says: the
     * signal's data lands in a MariaDB {@code text} column (65,535 bytes) as JSON, and Debezium
     * sends the condition with every chunk query. Conditions are ASCII on MariaDB (text keys are
     * hex), so 24,000 characters leave room for the JSON around them.
     */
    static final int MAX_CONDITION_CHARS = 24_000;

    /** What was requested for one direction. */
    record Result(DirectionResult verified, long keysRequested, List<String> signalIds) {
        Result {
            signalIds = List.copyOf(signalIds);
        }

        long extraNotRepaired() {
            return verified.tally().count(Category.EXTRA_ON_TARGET);
        }

        long unmappableNotRepaired() {
            return verified.tally().count(Category.UNMAPPABLE);
        }
    }

    /** A signal could not be sent; the ones before it were. */
    static final class SendFailed extends Exception {
        final List<String> sent;

        SendFailed(String message, List<String> sent, SQLException cause) {
            super(message, cause);
            this.sent = List.copyOf(sent);
        }
    }

    private Repair() {
    }

    /**
     * Sends the signals for the keys of {@code verified}.
     *
     * @throws SendFailed when the source endpoint refuses a signal (e.g. its signaling table is
     *                    missing because its capture never ran)
     */
    static Result send(SyncConfig config, Catalog catalog, DirectionResult verified, RepairKeys keys, int keysPerSignal)
            throws SendFailed {
        VerifiedDirection direction = verified.direction();
        TableRef table = direction.map().table(direction.from());
        TableSchema schema = catalog.require(table);
        Endpoint endpoint = config.endpoint(table.endpoint());
        KeyCondition condition = new KeyCondition(endpoint.kind(),
                ExpectedRows.keyColumns(direction.map(), direction.from()).stream().map(schema::requireColumn).toList());
        List<String> ids = new ArrayList<>();
        KeyBatches batches = new KeyBatches(condition, keysPerSignal, MAX_CONDITION_CHARS,
                filter -> ids.add(new ResyncSignal(table, Optional.of(filter)).send(endpoint)));
        try {
            // RepairKeys reads the spilled keys back one at a time; a failed send ends the reading
            keys.forEach(key -> {
                try {
                    batches.add(condition.parse(key));
                } catch (SQLException e) {
                    throw new SendFailure(e);
                }
            });
            batches.finish();
        } catch (SendFailure | SQLException e) {
            SQLException cause = e instanceof SendFailure f ? f.sql : (SQLException) e;
            throw new SendFailed("could not send a repair signal to endpoint '" + endpoint.name() + "' for " + table
                    + ": SQLState " + cause.getSQLState() + ": " + cause.getMessage()
                    + " (the signaling table is created when the endpoint's capture starts)", ids, cause);
        }
        return new Result(verified, keys.count(), ids);
    }

    /** Carries a send's SQLException out of the key reader's callback. */
    private static final class SendFailure extends RuntimeException {
        final SQLException sql;

        SendFailure(SQLException cause) {
            super(cause);
            this.sql = cause;
        }
    }
}
