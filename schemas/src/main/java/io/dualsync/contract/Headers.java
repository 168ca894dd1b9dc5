package io.dualsync.contract;

/**
 * Kafka record header names and values shared by the services (design.md, "Contracts").
 * Header values are UTF-8 strings.
 */
public final class Headers {

    private Headers() {
    }

    /** On raw records: who made the change, {@link #ORIGIN_APP} or {@link #ORIGIN_SYNC}. */
    public static final String ORIGIN = "dualsync.origin";
    /** A change made by the endpoint's own users: propagate it. */
    public static final String ORIGIN_APP = "app";
    /** A change dualsync applied itself: never propagate it (loop suppression). */
    public static final String ORIGIN_SYNC = "sync";

    // Dead-letter headers: why the record is there and where it came from.
    public static final String ERROR_CLASS = "dualsync.error.class";
    public static final String ERROR_MESSAGE = "dualsync.error.message";
    /** SQLSTATE of the database error, when there was one. */
    public static final String SQL_STATE = "dualsync.error.sqlstate";
    /** The stage that gave up: {@code transform} or {@code apply}. */
    public static final String STAGE = "dualsync.error.stage";
    public static final String ATTEMPTS = "dualsync.error.attempts";
    /** ISO-8601 instants. */
    public static final String FIRST_FAILURE = "dualsync.error.first-failure";
    public static final String LAST_FAILURE = "dualsync.error.last-failure";
    public static final String ORIGINAL_TOPIC = "dualsync.original.topic";
    public static final String ORIGINAL_PARTITION = "dualsync.original.partition";
    public static final String ORIGINAL_OFFSET = "dualsync.original.offset";
    public static final String MAP = "dualsync.map";

    /** {@link #ERROR_CLASS} of a change that met a local change of its target row (design.md, "Conflicts"). */
    public static final String ERROR_CLASS_CONFLICT = "conflict";
    /**
     * On a conflict's dead letter: the target row as it was when the conflict was found, a JSON
     * object of column to canonical text ({@link CanonicalText}), {@code null} when the row was
     * gone. The incoming version is the record itself. Holds row values: headers only, never logs.
     */
    public static final String CONFLICT_TARGET_IMAGE = "dualsync.conflict.target-image";
}
