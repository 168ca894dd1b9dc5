package io.dualsync.synclog;

/**
 * What became of one change at one stage, as the sync log counts it (issue 5, "Sync log and
 * metrics"). Each change is counted once per stage that decided its fate: the transform counts
 * what it did not propagate, the apply service counts what it did with the rest.
 */
public enum Outcome {
    /** apply: the first write of a target row by this map (no earlier sync of the row) */
    INSERTED("inserted"),
    /** apply: a write to a target row this map synced before */
    UPDATED("updated"),
    /** apply: a delete (or soft delete) that removed or marked a target row */
    DELETED("deleted"),
    /** apply: not newer than the position already applied to its row (redelivery, replay): skipped */
    DUPLICATE("duplicates"),
    /** transform: dualsync's own write coming back (origin marker or the echo filter's images) */
    ECHO("echoes"),
    /** both sides changed the row: apply's {@code fail} dead letters and transform's latest-wins losers */
    CONFLICT("conflicts"),
    /** sent to the dead-letter topic for any other reason (rejected by the target, unmappable, undecodable) */
    FAILED("failed"),
    /** no write needed: the target already held the image, only unmapped columns changed, or a newer change of the same batch replaced it */
    UNCHANGED("unchanged"),
    /** transform: the row is not in the map's scope, or a delete of a row never synced */
    FILTERED("filtered");

    private final String field;

    Outcome(String field) {
        this.field = field;
    }

    /** The name of this count in the sync-log record and the {@code outcome} tag of the metric. */
    public String field() {
        return field;
    }
}
