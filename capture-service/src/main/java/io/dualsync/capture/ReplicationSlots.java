package io.dualsync.capture;

import io.dualsync.config.Endpoint;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * Removes an endpoint's replication slot and publication (see
 * {@link CaptureService#dropSlotAndPublication(Endpoint)} for when and why).
 */
final class ReplicationSlots {

    private static final Logger log = LoggerFactory.getLogger(ReplicationSlots.class);

    private ReplicationSlots() {
    }

    static void dropSlotAndPublication(Endpoint endpoint) {
        try (Connection c = EndpointConnections.open(endpoint)) {
            dropSlot(c, endpoint);
            try (Statement s = c.createStatement()) {
                s.execute("DROP PUBLICATION IF EXISTS " + CapturePreconditions.quoteIdent(endpoint.publication()));
            }
            log.info("endpoint '{}': publication '{}' dropped (if it existed)", endpoint.name(), endpoint.publication());
        } catch (SQLException e) {
            throw new IllegalStateException("could not drop replication slot '" + endpoint.slot() + "' and publication '"
                    + endpoint.publication() + "' of endpoint '" + endpoint.name() + "': " + e.getMessage(), e);
        }
    }

    /** How long a slot whose capture has just been closed may stay active while its walsender exits. */
    private static final long RELEASE_WAIT_MILLIS = 10_000;

    private static void dropSlot(Connection c, Endpoint endpoint) throws SQLException {
        long deadline = System.currentTimeMillis() + RELEASE_WAIT_MILLIS;
        while (true) {
            try (PreparedStatement s = c.prepareStatement("SELECT active, active_pid FROM pg_replication_slots WHERE slot_name = ?")) {
                s.setString(1, endpoint.slot());
                try (ResultSet r = s.executeQuery()) {
                    if (!r.next()) {
                        log.info("endpoint '{}': no replication slot '{}' to drop", endpoint.name(), endpoint.slot());
                        return;
                    }
                    if (!r.getBoolean(1)) {
                        break;
                    }
                    // the walsender of a capture closed a moment ago may still hold the slot: give it a few seconds
                    if (System.currentTimeMillis() > deadline) {
                        throw new IllegalStateException("replication slot '" + endpoint.slot() + "' of endpoint '" + endpoint.name()
                                + "' is in use by process " + r.getInt(2) + ": stop its capture before dropping it");
                    }
                }
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for replication slot '" + endpoint.slot() + "' to be released", e);
            }
        }
        try (PreparedStatement s = c.prepareStatement("SELECT pg_drop_replication_slot(?)")) {
            s.setString(1, endpoint.slot());
            s.execute();
        }
        log.info("endpoint '{}': replication slot '{}' dropped", endpoint.name(), endpoint.slot());
    }
}
