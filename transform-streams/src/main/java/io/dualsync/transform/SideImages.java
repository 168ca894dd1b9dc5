package io.dualsync.transform;

import io.dualsync.config.Side;

/**
 * The last synced image of both sides of one coupled row (design.md, "Second line of defence"):
 * for each side the hash of what it holds, or will hold once the change sent to it is applied,
 * in the columns the other side writes into it; {@link CoupledChange#ABSENT} for no row; null
 * when not known yet. Kept in the map's images store under the coupled key.
 *
 * <p>It also keeps, per side, the user change last sent to it that the
 * side has not confirmed yet ({@link Sent}; confirmed when dualsync's write of it comes back
 * marked as sync): a user change of that side arriving meanwhile was made concurrently, and the
 * map's policy settles the two. Null when nothing is in flight.
 */
record SideImages(String a, String b, Sent toA, Sent toB) {

    static final SideImages UNKNOWN = new SideImages(null, null, null, null);

    /**
     * A user change sent to a side: the mapped record as it went out, the image hash it gives,
     * its source commit time (epoch microseconds) and endpoint, which {@code latest-wins} compares,
     * whether it was a snapshot read (a first sync or resync), and whether the filter knew nothing
     * of the row when it went: the row's first sync, which both sides may meet holding their own
     * version from before dualsync (false in images stored before this field existed).
     */
    record Sent(String hash, byte[] key, byte[] value, long commitTime, String endpoint, boolean snapshot,
                boolean firstSync) {

        /** Whether this change wins over a concurrent one: later commit, ties to the endpoint name last in order. */
        boolean winsOver(long otherCommitTime, String otherEndpoint) {
            if (commitTime != otherCommitTime) {
                return commitTime > otherCommitTime;
            }
            return String.valueOf(endpoint).compareTo(String.valueOf(otherEndpoint)) > 0;
        }
    }

    /** Whether neither side holds the row and nothing is on its way to either. */
    boolean gone() {
        return CoupledChange.ABSENT.equals(a) && CoupledChange.ABSENT.equals(b) && toA == null && toB == null;
    }

    String of(Side side) {
        return side == Side.A ? a : b;
    }

    Sent sentTo(Side side) {
        return side == Side.A ? toA : toB;
    }

    /** These images with {@code side}'s replaced; a null hash leaves it as it is. */
    SideImages with(Side side, String hash) {
        if (hash == null) {
            return this;
        }
        return side == Side.A ? new SideImages(hash, b, toA, toB) : new SideImages(a, hash, toA, toB);
    }

    /** These images with the change in flight to {@code side} replaced (null: none). */
    SideImages sending(Side side, Sent sent) {
        return side == Side.A ? new SideImages(a, b, sent, toB) : new SideImages(a, b, toA, sent);
    }
}
