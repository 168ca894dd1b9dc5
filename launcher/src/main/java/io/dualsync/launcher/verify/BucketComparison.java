package io.dualsync.launcher.verify;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * Compares the source and target rows of one bucket (rows whose target keys hash alike, see
 * {@link SpillBuckets}): the source rows are held in a hash map by target key, the target rows
 * streamed past it. Memory: one bucket's source rows.
 * <ul>
 *   <li>an in-scope source row without a target row: {@link Category#MISSING_ON_TARGET};</li>
 *   <li>both there with different image hashes: {@link Category#DIFFERING}; equal: matching;</li>
 *   <li>a target row with no source row: {@link Category#EXTRA_ON_TARGET} when {@code reportExtra}
 *       and the row is in its own side's scope, else only counted as not expected;</li>
 *   <li>a target row whose source row is out of scope: not a difference (design.md, "Scope": a row
 *       that leaves scope keeps its last synced state on the other side), counted as not expected;</li>
 *   <li>a second source row with the same target key: {@link Category#UNMAPPABLE} (an in-scope row
 *       wins over an out-of-scope one for the comparison).</li>
 * </ul>
 */
final class BucketComparison {

    private BucketComparison() {
    }

    /**
     * @param reportExtra whether target rows nothing maps to are differences: false for a direction of
     *                    a bidirectional map (the other direction reports them as missing) and where the
     *                    map's delete policy keeps target rows whose source row was deleted
     */
    static void compare(Iterable<KeyedImage> source, Iterable<KeyedImage> target, boolean reportExtra, Tally tally) {
        Map<String, KeyedImage> expected = new HashMap<>();
        for (KeyedImage row : source) {
            KeyedImage other = expected.putIfAbsent(row.targetKey(), row);
            if (other != null) {
                KeyedImage loser = row;
                if (row.inScope() && !other.inScope()) {
                    expected.put(row.targetKey(), row);
                    loser = other;
                }
                if (loser.inScope()) {
                    tally.add(Category.UNMAPPABLE, loser.targetKey(), loser.sourceKey());
                }
            }
        }
        for (KeyedImage row : target) {
            KeyedImage from = expected.remove(row.targetKey());
            if (from == null) {
                if (reportExtra && row.inScope()) {
                    tally.add(Category.EXTRA_ON_TARGET, row.targetKey(), null);
                } else {
                    tally.targetRowsNotExpected++;
                }
            } else if (!from.inScope()) {
                tally.targetRowsNotExpected++;
            } else if (Arrays.equals(from.hash(), row.hash())) {
                tally.matching++;
            } else {
                tally.add(Category.DIFFERING, row.targetKey(), from.sourceKey());
            }
        }
        for (KeyedImage left : expected.values()) {
            if (left.inScope()) {
                tally.add(Category.MISSING_ON_TARGET, left.targetKey(), left.sourceKey());
            }
        }
    }
}
