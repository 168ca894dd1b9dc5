package io.dualsync.transform;

import io.dualsync.config.Side;

/**
 * The last synced image of both sides of one coupled row (design.md, "Second line of defence"):
 * for each side the hash of what it holds, or will hold once the change sent to it is applied,
 * in the columns the other side writes into it; {@link CoupledChange#ABSENT} for no row; null
 * when not known yet. Kept in the map's images store under the coupled key.
 */
record SideImages(String a, String b) {

    static final SideImages UNKNOWN = new SideImages(null, null);

    String of(Side side) {
        return side == Side.A ? a : b;
    }

    /** These images with {@code side}'s replaced; a null hash leaves it as it is. */
    SideImages with(Side side, String hash) {
        if (hash == null) {
            return this;
        }
        return side == Side.A ? new SideImages(hash, b) : new SideImages(a, hash);
    }
}
