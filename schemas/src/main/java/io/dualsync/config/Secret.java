package io.dualsync.config;

import java.util.Objects;

/**
 * A password or other secret, resolved from an environment variable or a file. Its
 * {@link #toString()} never shows the value, so a secret can sit in a record that gets logged.
 *
 * @param value  the secret itself
 * @param origin where it came from, e.g. {@code env CRM_PASSWORD}; safe to log
 */
public record Secret(String value, String origin) {

    public Secret {
        Objects.requireNonNull(value, "value");
    }

    @Override
    public String toString() {
        return "****** (from " + origin + ")";
    }
}
