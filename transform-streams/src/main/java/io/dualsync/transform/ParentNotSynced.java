package io.dualsync.transform;

import io.dualsync.config.Reference;

import java.time.Duration;

/**
 * A change refers to a parent row whose coupling is not known (yet): what the processor does with
 * it ({@link Action}). The message names the column and the referenced map, never the value.
 */
final class ParentNotSynced extends RuntimeException {

    /** What becomes of the change. */
    enum Action {
        /** keep it and try again later, until {@link #maxWait()} has passed */
        WAIT,
        /** propagate nothing */
        SKIP,
        /** send it to the dead-letter topic */
        DEAD_LETTER
    }

    private final Action action;
    private final Duration maxWait;

    ParentNotSynced(Action action, String targetColumn, Reference ref, String why) {
        super("parent not synced: column '" + targetColumn + "' refers to a row of map '" + ref.map() + "' that " + why,
                null, false, false);
        this.action = action;
        this.maxWait = ref.maxWait();
    }

    Action action() {
        return action;
    }

    Duration maxWait() {
        return maxWait;
    }
}
