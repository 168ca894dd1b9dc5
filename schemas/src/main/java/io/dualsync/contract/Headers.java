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

    /**
     * On a raw record of a row read by an incremental snapshot (a resync) whose {@code source}
     * block carries no log position (Debezium's PostgreSQL connector leaves {@code lsn} empty
     * there): the PostgreSQL LSN, as decimal text, of the last change capture read from the log
     * before it, which the transform takes as the read's source position.
     */
    public static final String READ_POSITION = "dualsync.source.read-position";

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

    /**
     * On apply's dead letters, the Java exception behind the failure ({@link #ERROR_CLASS} holds the
     * failure's class then: {@link #ERROR_CLASS_PERMANENT}, {@link #ERROR_CLASS_DEPENDENT},
     * {@link #ERROR_CLASS_CONFLICT} or {@link #ERROR_CLASS_UNDECODABLE}). Transform's dead letters
     * use the same classes ({@link #ERROR_CLASS_PERMANENT} or {@link #ERROR_CLASS_UNDECODABLE}).
     */
    public static final String ERROR_EXCEPTION = "dualsync.error.exception";
    /** {@link #ERROR_CLASS} of a change the target refuses until someone changes data or schema. */
    public static final String ERROR_CLASS_PERMANENT = "permanent";
    /** {@link #ERROR_CLASS} of a change whose parent row never arrived (or whose children stayed) within its retries. */
    public static final String ERROR_CLASS_DEPENDENT = "dependent";
    /** {@link #ERROR_CLASS} of a record whose bytes cannot be read as a change (apply's mapped records, transform's raw ones). */
    public static final String ERROR_CLASS_UNDECODABLE = "undecodable";

    /** On a record of {@code dualsync.retry.<target>}: the instant (ISO-8601) before which it is not retried. */
    public static final String RETRY_DUE = "dualsync.retry.due";
    /** On a record of {@code dualsync.retry.<target>} and its dead letter: how many times it went through the retry topic. */
    public static final String RETRY_COUNT = "dualsync.retry.count";

    /**
     * On a record {@code dualsync dlt replay} re-published: the operator's decision for a conflict.
     * {@link #REPLAY_OVERWRITE}: apply writes the change even though the target row changed locally.
     */
    public static final String REPLAY_DECISION = "dualsync.replay.decision";
    public static final String REPLAY_OVERWRITE = "overwrite";
    /** On a record {@code dualsync dlt replay} re-published: when (ISO-8601), for the audit trail. */
    public static final String REPLAYED_AT = "dualsync.replay.time";

    /** {@link #ERROR_CLASS} of a change that met a local change of its target row (design.md, "Conflicts"). */
    public static final String ERROR_CLASS_CONFLICT = "conflict";
    /**
     * On a conflict's dead letter: the target row as it was when the conflict was found, a JSON
     * object of column to canonical text ({@link CanonicalText}), {@code null} when the row was
     * gone. The incoming version is the record itself. Holds row values: headers only, never logs.
     */
    public static final String CONFLICT_TARGET_IMAGE = "dualsync.conflict.target-image";

    /**
     * On a mapped record of a bidirectional map: the hash ({@link CanonicalText#rowHash}; {@code -}
     * for no row) of the target row's image the echo filter knew when it let this change win. A
     * conflicting target row with exactly that image lost to this change; any other image holds a
     * local change the filter has not arbitrated yet (apply leaves the row to it, or under {@code fail}
     * dead-letters the change as a conflict). Absent: apply compares with the hash it stored.
     */
    public static final String ARBITRATED_TARGET_HASH = "dualsync.conflict.arbitrated-target-hash";
}
