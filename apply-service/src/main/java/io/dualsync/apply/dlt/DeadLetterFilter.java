package io.dualsync.apply.dlt;

import java.time.Instant;
import java.util.Optional;
import java.util.Set;

/**
 * Which dead letters an operator command acts on. Every criterion given must hold; none given
 * selects every record.
 *
 * @param map        only records of this map
 * @param errorClass only records of this error class ({@code permanent}, {@code dependent},
 *                   {@code conflict}, {@code undecodable}; older transform records carry an
 *                   exception class, also matched by its simple name)
 * @param since      only records that last failed at or after this instant
 * @param until      only records that last failed before this instant
 * @param positions  only these records, as {@code partition:offset}; empty: any
 */
public record DeadLetterFilter(Optional<String> map, Optional<String> errorClass, Optional<Instant> since,
                               Optional<Instant> until, Set<String> positions) {

    public static final DeadLetterFilter ALL = new DeadLetterFilter(Optional.empty(), Optional.empty(),
            Optional.empty(), Optional.empty(), Set.of());

    public DeadLetterFilter {
        positions = Set.copyOf(positions);
    }

    public boolean matches(DeadLetterRecord r) {
        return map.map(m -> m.equals(r.map())).orElse(true)
                && errorClass.map(c -> c.equalsIgnoreCase(r.errorClass())
                        || r.errorClass().endsWith("." + c)).orElse(true)
                && since.map(s -> !r.failedAt().isBefore(s)).orElse(true)
                && until.map(u -> r.failedAt().isBefore(u)).orElse(true)
                && (positions.isEmpty() || positions.contains(r.position()));
    }

    /**
     * {@code P:O} as it is, a bare offset {@code O} as {@code 0:O} (partition 0).
     *
     * @throws IllegalArgumentException naming the text when it is neither
     */
    public static String position(String text) {
        String t = text.trim();
        String[] parts = t.split(":");
        try {
            if (parts.length == 1) {
                return "0:" + Long.parseLong(parts[0]);
            }
            if (parts.length == 2) {
                return Integer.parseInt(parts[0]) + ":" + Long.parseLong(parts[1]);
            }
        } catch (NumberFormatException e) {
            // falls through to the message below
        }
        throw new IllegalArgumentException("'" + text + "' is not an offset: write OFFSET or PARTITION:OFFSET, e.g. 0:42");
    }
}
