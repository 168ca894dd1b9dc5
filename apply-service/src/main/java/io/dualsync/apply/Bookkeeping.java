package io.dualsync.apply;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * dualsync's own tables in a target database (design.md, "Target bookkeeping"): the apply
 * checkpoint, one row per apply worker, changed first in every apply transaction so the capture
 * service can tell dualsync's transactions from the users'; and per target row the last applied
 * source position and the hash of the applied image, so that redelivered or older changes are never
 * applied. Nothing is added to user tables. All methods run in the caller's transaction.
 */
public final class Bookkeeping {

    private static final Logger LOG = LoggerFactory.getLogger(Bookkeeping.class);
    /** Row keys per locking query: well under every driver's parameter limit. */
    private static final int KEYS_PER_QUERY = 500;

    private final SqlDialect dialect;

    public Bookkeeping(SqlDialect dialect) {
        this.dialect = dialect;
    }

    /** What the bookkeeping holds for one target row. */
    public record RowState(long sourcePosition, String rowHash) {
    }

    /** What to record for one target row after a change was applied to it. */
    public record RowUpdate(String rowKey, String sourceEndpoint, long sourcePosition, String rowHash) {
    }

    /**
     * Creates the bookkeeping schema and tables where missing, committing, and logs when it does.
     *
     * @return whether anything was missing
     */
    public boolean ensureCreated(Connection connection) throws SQLException {
        boolean complete;
        try (Statement s = connection.createStatement(); ResultSet rs = s.executeQuery(dialect.countBookkeepingTables())) {
            rs.next();
            complete = rs.getInt(1) == 2;
        }
        if (!complete) {
            try (Statement s = connection.createStatement()) {
                for (String ddl : dialect.createBookkeeping()) {
                    s.execute(ddl);
                }
            }
            LOG.info("Created the dualsync bookkeeping tables (apply checkpoint, row state) in the target database");
        }
        if (!connection.getAutoCommit()) {
            connection.commit();
        }
        return !complete;
    }

    /** Advances this worker's checkpoint row; the first write of every apply transaction. */
    public void touchCheckpoint(Connection connection, String workerId, long lastSourcePosition) throws SQLException {
        try (PreparedStatement ps = connection.prepareStatement(dialect.touchCheckpoint())) {
            ps.setString(1, workerId);
            ps.setLong(2, lastSourcePosition);
            ps.executeUpdate();
        }
    }

    /** Reads and locks the stored state of these target rows; rows never applied are absent. */
    public Map<String, RowState> lockRowStates(Connection connection, String map, String targetTable,
                                               List<String> rowKeys) throws SQLException {
        Map<String, RowState> states = new HashMap<>();
        for (int from = 0; from < rowKeys.size(); from += KEYS_PER_QUERY) {
            List<String> chunk = rowKeys.subList(from, Math.min(rowKeys.size(), from + KEYS_PER_QUERY));
            try (PreparedStatement ps = connection.prepareStatement(dialect.lockRowStates(chunk.size()))) {
                ps.setString(1, map);
                ps.setString(2, targetTable);
                for (int i = 0; i < chunk.size(); i++) {
                    ps.setString(3 + i, chunk.get(i));
                }
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        states.put(rs.getString(1), new RowState(rs.getLong(2), rs.getString(3)));
                    }
                }
            }
        }
        return states;
    }

    /** Records the applied positions and hashes (one JDBC batch); never moves a position back. */
    public void writeRowStates(Connection connection, String map, String targetTable, List<RowUpdate> updates)
            throws SQLException {
        if (updates.isEmpty()) {
            return;
        }
        try (PreparedStatement ps = connection.prepareStatement(dialect.upsertRowState())) {
            for (RowUpdate u : updates) {
                ps.setString(1, map);
                ps.setString(2, targetTable);
                ps.setString(3, u.rowKey());
                ps.setString(4, u.sourceEndpoint());
                ps.setLong(5, u.sourcePosition());
                if (u.rowHash() == null) {
                    ps.setNull(6, Types.VARCHAR);
                } else {
                    ps.setString(6, u.rowHash());
                }
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }
}
