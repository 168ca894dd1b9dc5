package io.dualsync.contract;

import io.dualsync.config.Endpoint;
import io.dualsync.config.EndpointKind;
import io.dualsync.config.TableRef;

import java.util.List;

/**
 * dualsync's own tables in an endpoint database (design.md, "Target bookkeeping"), named and
 * defined in one place because two services need them: apply-service writes them, and
 * capture-service reads the apply checkpoint from the log to recognise dualsync's own
 * transactions (loop suppression). Capture creates them too when missing, with the same DDL,
 * so that it can add the checkpoint table to its publication before apply ever ran.
 */
public final class BookkeepingTables {

    /** PostgreSQL: the schema holding the bookkeeping tables. */
    public static final String SCHEMA = "dualsync";
    public static final String CHECKPOINT = "apply_checkpoint";
    public static final String ROW_STATE = "row_state";
    /** MariaDB/MySQL: the bookkeeping tables live in the endpoint's database with this prefix. */
    public static final String TABLE_PREFIX = "dualsync_";
    /**
     * Debezium's signaling table in every captured endpoint: {@code dualsync resync} inserts
     * {@code execute-snapshot} signals into it, and Debezium writes the watermarks of its
     * incremental snapshots there. Captured, never published.
     */
    public static final String SIGNAL = "debezium_signal";

    private BookkeepingTables() {
    }

    /** The apply checkpoint table of an endpoint, as captured ({@code <endpoint>.dualsync.apply_checkpoint} on PostgreSQL). */
    public static TableRef checkpoint(Endpoint endpoint) {
        return endpoint.kind() == EndpointKind.POSTGRES
                ? new TableRef(endpoint.name(), SCHEMA, CHECKPOINT)
                : new TableRef(endpoint.name(), endpoint.jdbcUrl().database(), TABLE_PREFIX + CHECKPOINT);
    }

    /** The row state table of an endpoint ({@code <endpoint>.dualsync.row_state} on PostgreSQL); apply's alone. */
    public static TableRef rowState(Endpoint endpoint) {
        return endpoint.kind() == EndpointKind.POSTGRES
                ? new TableRef(endpoint.name(), SCHEMA, ROW_STATE)
                : new TableRef(endpoint.name(), endpoint.jdbcUrl().database(), TABLE_PREFIX + ROW_STATE);
    }

    /** The signaling table of an endpoint ({@code <endpoint>.dualsync.debezium_signal} on PostgreSQL). */
    public static TableRef signal(Endpoint endpoint) {
        return endpoint.kind() == EndpointKind.POSTGRES
                ? new TableRef(endpoint.name(), SCHEMA, SIGNAL)
                : new TableRef(endpoint.name(), endpoint.jdbcUrl().database(), TABLE_PREFIX + SIGNAL);
    }

    /**
     * DDL creating the signaling table where missing (idempotent), with the columns Debezium's
     * source signal channel reads by position: id, type, data. The ids of Debezium's watermarks
     * are a UUID plus a suffix ({@code -open}, {@code -close}); the data of a signal is JSON.
     */
    public static List<String> signalDdl(Endpoint endpoint) {
        if (endpoint.kind() == EndpointKind.POSTGRES) {
            return List.of("CREATE SCHEMA IF NOT EXISTS \"" + SCHEMA + "\"",
                    "CREATE TABLE IF NOT EXISTS \"" + SCHEMA + "\".\"" + SIGNAL + "\" ("
                            + "id varchar(64) PRIMARY KEY, type varchar(32) NOT NULL, data text)");
        }
        return List.of("CREATE TABLE IF NOT EXISTS `" + TABLE_PREFIX + SIGNAL + "` ("
                + "id varchar(64) CHARACTER SET ascii COLLATE ascii_bin PRIMARY KEY, "
                + "type varchar(32) CHARACTER SET ascii NOT NULL, "
                + "data text CHARACTER SET utf8mb4) ENGINE=InnoDB");
    }

    /**
     * PostgreSQL DDL creating the schema and both tables where missing (idempotent). The
     * checkpoint row changes a value in every apply transaction ({@code batches}), so the
     * update always reaches the log.
     */
    public static List<String> postgresDdl() {
        String checkpoint = "\"" + SCHEMA + "\".\"" + CHECKPOINT + "\"";
        String rowState = "\"" + SCHEMA + "\".\"" + ROW_STATE + "\"";
        return List.of(
                "CREATE SCHEMA IF NOT EXISTS \"" + SCHEMA + "\"",
                "CREATE TABLE IF NOT EXISTS " + checkpoint + " ("
                        + "worker_id text PRIMARY KEY, "
                        + "batches bigint NOT NULL, "
                        + "last_source_position bigint, "
                        + "updated_at timestamptz NOT NULL)",
                "CREATE TABLE IF NOT EXISTS " + rowState + " ("
                        + "map_name text, "
                        + "target_table text, "
                        + "row_key text, "
                        + "source_endpoint text NOT NULL, "
                        + "source_position bigint NOT NULL, "
                        + "row_hash text, "
                        + "updated_at timestamptz NOT NULL, "
                        + "PRIMARY KEY (map_name, target_table, row_key))");
    }

    /**
     * MariaDB DDL creating both tables where missing, in the connection's database, with the
     * {@code dualsync_} prefix (MariaDB has no schemas inside a database). utf8mb4_bin: keys compare
     * exactly (the default collations ignore case and trailing spaces). The row_state key stays
     * within InnoDB's 3072-byte index limit: 64 + 129*4 + 512*4 bytes.
     */
    public static List<String> mariaDbDdl() {
        String text = " CHARACTER SET utf8mb4 COLLATE utf8mb4_bin";
        return List.of(
                "CREATE TABLE IF NOT EXISTS `" + TABLE_PREFIX + CHECKPOINT + "` ("
                        + "worker_id varchar(255)" + text + " PRIMARY KEY, "
                        + "batches bigint NOT NULL, "
                        + "last_source_position bigint, "
                        + "updated_at datetime(6) NOT NULL) ENGINE=InnoDB",
                "CREATE TABLE IF NOT EXISTS `" + TABLE_PREFIX + ROW_STATE + "` ("
                        + "map_name varchar(64) CHARACTER SET ascii COLLATE ascii_bin, "
                        + "target_table varchar(129)" + text + ", "
                        + "row_key varchar(512)" + text + ", "
                        + "source_endpoint varchar(255)" + text + " NOT NULL, "
                        + "source_position bigint NOT NULL, "
                        + "row_hash varchar(255)" + text + ", "
                        + "updated_at datetime(6) NOT NULL, "
                        + "PRIMARY KEY (map_name, target_table, row_key)) ENGINE=InnoDB");
    }

    /** The DDL for an endpoint of either kind. */
    public static List<String> ddl(Endpoint endpoint) {
        return endpoint.kind() == EndpointKind.POSTGRES ? postgresDdl() : mariaDbDdl();
    }
}
