package io.dualsync.contract;

/** What a mapped change asks the apply service to do with the target row. */
public enum Operation {
    /** Insert the row or update it to the given column values. */
    UPSERT,
    /** Delete the row (or whatever the map's delete policy says). */
    DELETE
}
