package io.dualsync.config;

import java.util.Optional;

/**
 * What a delete on the source does to the coupled target row: {@code delete} it, {@code ignore}
 * it, or {@code soft: <column>} — set that target column to true (boolean) or to the delete
 * time (timestamp).
 */
public record DeletePolicy(Kind kind, Optional<String> softDeleteColumn) {

    public enum Kind { DELETE, IGNORE, SOFT }

    public static final DeletePolicy DELETE = new DeletePolicy(Kind.DELETE, Optional.empty());
    public static final DeletePolicy IGNORE = new DeletePolicy(Kind.IGNORE, Optional.empty());
}
