package io.dualsync.config;

/** The two sides of a table map, as named in the YAML file ({@code a:} and {@code b:}). */
public enum Side {
    A, B;

    public Side other() {
        return this == A ? B : A;
    }

    public String label() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
