package io.dualsync.contract;

import io.dualsync.config.TableRef;

/**
 * Names of every topic dualsync reads or writes (design.md, "Contracts"). The one place topic
 * names are spelled.
 */
public final class Topics {

    public static final String PREFIX = "dualsync";

    /** {@code dualsync.sync-log}: per map, minute and service, what became of the changes (JSON, see README). */
    public static final String SYNC_LOG = PREFIX + ".sync-log";

    private Topics() {
    }

    /** Debezium's topic prefix for an endpoint; Debezium appends {@code .<schema>.<table>}. */
    public static String rawPrefix(String endpoint) {
        return PREFIX + ".raw." + endpoint;
    }

    /** {@code dualsync.raw.<endpoint>.<schema>.<table>}: change events as captured. */
    public static String raw(TableRef table) {
        return rawPrefix(table.endpoint()) + "." + table.schema() + "." + table.table();
    }

    /** {@code dualsync.mapped.<map>.<targetEndpoint>}: changes to apply, in target names and types. */
    public static String mapped(String map, String targetEndpoint) {
        return PREFIX + ".mapped." + map + "." + targetEndpoint;
    }

    /**
     * {@code dualsync.coupled.<map>}: transform-internal, the changes of both sides of a
     * bidirectional map re-keyed by the coupled key, so that both sides' images of a row meet in
     * one partition (loop suppression, layer 2).
     */
    public static String coupled(String map) {
        return PREFIX + ".coupled." + map;
    }

    /**
     * {@code dualsync.couplings.<map>}: transform-internal and compacted, the couplings of a map that
     * reference fields point to (a row's identifier on each side and its coupled key), read whole by
     * every transform instance.
     */
    public static String couplings(String map) {
        return PREFIX + ".couplings." + map;
    }

    /** {@code dualsync.dlt.<targetEndpoint>}: changes that could not be mapped or applied. */
    /**
     * Requests to read rows of an endpoint's table again ({@link RereadRequest}): the transform asks,
     * the endpoint's capture turns each into an incremental snapshot signal.
     */
    public static String reread(String endpoint) {
        return PREFIX + ".reread." + endpoint;
    }

    public static String deadLetter(String targetEndpoint) {
        return PREFIX + ".dlt." + targetEndpoint;
    }

    /**
     * {@code dualsync.retry.<targetEndpoint>}: changes whose parent row was not there yet (a foreign
     * key), waiting to be applied again; apply-internal, read by the same apply service.
     */
    public static String retry(String targetEndpoint) {
        return PREFIX + ".retry." + targetEndpoint;
    }

    /** Kafka topic holding the capture engine's source offsets for an endpoint. */
    public static String captureOffsets(String endpoint) {
        return PREFIX + ".offsets." + endpoint;
    }

    /** Kafka topic holding the capture engine's schema history for an endpoint (MariaDB). */
    public static String schemaHistory(String endpoint) {
        return PREFIX + ".schema-history." + endpoint;
    }
}
