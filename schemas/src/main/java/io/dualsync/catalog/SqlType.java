package io.dualsync.catalog;

/**
 * A column's type as dualsync reasons about it: a portable kind plus precision and scale where
 * they matter, and the database's own type name for messages.
 *
 * @param kind       the portable kind
 * @param precision  total digits for DECIMAL (0 = unbounded), length for STRING (0 = unbounded),
 *                   fractional-second digits for TIME/TIMESTAMP kinds
 * @param scale      digits after the point for DECIMAL (-1 = unbounded, as PostgreSQL's bare {@code numeric})
 * @param nativeName the database's type name, e.g. {@code numeric}, {@code timestamptz}, {@code varchar}
 */
public record SqlType(Kind kind, int precision, int scale, String nativeName) {

    public enum Kind {
        BOOLEAN, INT16, INT32, INT64, DECIMAL, FLOAT32, FLOAT64,
        STRING, DATE, TIME, TIMESTAMP, TIMESTAMPTZ, UUID, JSON, BYTES
    }

    public static SqlType of(Kind kind, String nativeName) {
        return new SqlType(kind, 0, 0, nativeName);
    }

    public static SqlType decimal(int precision, int scale, String nativeName) {
        return new SqlType(Kind.DECIMAL, precision, scale, nativeName);
    }

    /** Whether a DECIMAL has a declared precision and scale (PostgreSQL's bare numeric has not). */
    public boolean isBoundedDecimal() {
        return kind == Kind.DECIMAL && precision > 0 && scale >= 0;
    }

    public boolean isInteger() {
        return kind == Kind.INT16 || kind == Kind.INT32 || kind == Kind.INT64;
    }

    public boolean isNumeric() {
        return isInteger() || kind == Kind.DECIMAL || kind == Kind.FLOAT32 || kind == Kind.FLOAT64;
    }

    @Override
    public String toString() {
        return nativeName;
    }
}
