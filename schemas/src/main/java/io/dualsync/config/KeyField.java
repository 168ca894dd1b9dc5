package io.dualsync.config;

/**
 * One column pair that couples a row on side A with a row on side B. Together the key fields
 * of a map identify the target row; on each side they must be covered by a primary key or
 * unique index.
 */
public record KeyField(String a, String b) {
    public String column(Side side) {
        return side == Side.A ? a : b;
    }
}
