package io.dualsync.config;

import java.util.Optional;

/**
 * What happens to a value on its way toward one side ({@code toA:} / {@code toB:} in YAML),
 * applied in this order: {@code constant} replaces the value; otherwise a null becomes
 * {@code defaultValue}; then {@code prefix} is added. Travelling the other way, the prefix
 * this transform adds is stripped again, so a bidirectional map round-trips.
 */
public record FieldTransform(Optional<String> prefix, Optional<String> constant, Optional<String> defaultValue) {

    public static final FieldTransform NONE = new FieldTransform(Optional.empty(), Optional.empty(), Optional.empty());

    public boolean isNone() {
        return prefix.isEmpty() && constant.isEmpty() && defaultValue.isEmpty();
    }
}
