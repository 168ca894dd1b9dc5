package io.dualsync.config;

import java.time.Duration;
import java.util.Arrays;
import java.util.Optional;

/**
 * A field whose value identifies a row of another map (issue 7, "Reference fields"): on side A it
 * equals column {@code a} of the referenced map's side-A row, on side B column {@code b} of its
 * side-B row. The transform translates it through the referenced map's key coupling, so a CRM
 * account UUID becomes the coupled ERP customer's number and back.
 *
 * @param map             the referenced map's name; it couples the same two endpoints, a with a
 * @param a               the referenced column on side A
 * @param b               the referenced column on side B
 * @param ifParentMissing what happens to a change whose parent is not synced (see {@link ParentMissing})
 * @param maxWait         how long a change waits for a parent that has not reached the other side
 *                        yet before {@code ifParentMissing} decides
 */
public record Reference(String map, String a, String b, ParentMissing ifParentMissing, Duration maxWait) {

    public static final Duration DEFAULT_MAX_WAIT = Duration.ofMinutes(10);

    public String column(Side side) {
        return side == Side.A ? a : b;
    }

    /**
     * The outcome for a child whose parent is not synced: out of the referenced map's scope on the
     * child's source side, or still not on the other side after {@code maxWait}. A parent on its
     * way (the child arrived first) is always waited for, whatever the outcome.
     */
    public enum ParentMissing {
        /** Wait for the parent even when it is out of scope (it may come back); dead-letter after maxWait. */
        WAIT("wait"),
        /** Write the child with the reference empty (null). */
        EMPTY("empty"),
        /** Propagate nothing of this change. */
        SKIP("skip"),
        /** Send the change to the dead-letter topic with the reason "parent not synced". */
        DEAD_LETTER("dead-letter");

        private final String configName;

        ParentMissing(String configName) {
            this.configName = configName;
        }

        public String configName() {
            return configName;
        }

        public static Optional<ParentMissing> of(String text) {
            return Arrays.stream(values()).filter(v -> v.configName.equals(text)).findFirst();
        }
    }
}
