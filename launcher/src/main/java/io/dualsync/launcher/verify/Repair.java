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
 * ({@link ResyncSignal}) of at most {@code keysPerSignal} keys each, restricted by a
 * {@link KeyCondition} on the source table. Rows extra on the target and unmappable rows are not
 * repaired: a source snapshot cannot remove a target row, nor map a row the map refuses.
 */
final class Repair {

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
        List<List<Object>> batch = new ArrayList<>(keysPerSignal);
        SQLException[] failure = new SQLException[1];
        keys.forEach(key -> {
            if (failure[0] != null) {
                return;
            }
            batch.add(condition.parse(key));
            if (batch.size() == keysPerSignal) {
                failure[0] = sendBatch(endpoint, table, condition, batch, ids);
            }
        });
        if (failure[0] == null && !batch.isEmpty()) {
            failure[0] = sendBatch(endpoint, table, condition, batch, ids);
        }
        if (failure[0] != null) {
            throw new SendFailed("could not send a repair signal to endpoint '" + endpoint.name() + "' for " + table
                    + ": SQLState " + failure[0].getSQLState() + ": " + failure[0].getMessage()
                    + " (the signaling table is created when the endpoint's capture starts)", ids, failure[0]);
        }
        return new Result(verified, keys.count(), ids);
    }

    private static SQLException sendBatch(Endpoint endpoint, TableRef table, KeyCondition condition,
                                          List<List<Object>> batch, List<String> ids) {
        try {
            ids.add(new ResyncSignal(table, Optional.of(condition.render(batch))).send(endpoint));
            batch.clear();
            return null;
        } catch (SQLException e) {
            return e;
        }
    }
}
