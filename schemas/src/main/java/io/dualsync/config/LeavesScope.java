package io.dualsync.config;

/**
 * What a map does to the coupled target row when a source row leaves the map's scope (its
 * filter or company include-list no longer holds for the row as it is after the change):
 * {@code keep} it as last synced (the default, as Business Central's filters select what
 * synchronizes and do not delete), or {@code delete} it through the map's {@code deletes} policy
 * (a hard delete, or a soft delete). Either way, a row that comes back into scope sends its full
 * current state.
 */
public enum LeavesScope {
    KEEP("keep"),
    DELETE("delete");

    private final String configName;

    LeavesScope(String configName) {
        this.configName = configName;
    }

    public String configName() {
        return configName;
    }
}
