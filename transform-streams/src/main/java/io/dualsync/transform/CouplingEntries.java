package io.dualsync.transform;

import io.dualsync.config.Side;
import io.dualsync.contract.CanonicalText;

import java.util.List;

/**
 * The keys of a referenced map's couplings store ({@code <map>.couplings}, fed by
 * {@code dualsync.couplings.<map>}). Two kinds of entry per side and referenced column:
 * <ul>
 *   <li>by value: a parent's identifier on one side to its coupled key, or {@link #OUT_OF_SCOPE}
 *       when that row is not in the map's scope on that side;</li>
 *   <li>by row: a coupled key to the identifier the row holds on one side (present once that
 *       side holds the row, whether the sync wrote it or a user did);</li>
 *   <li>parent row: a parent's identifier to the columns of it that child filters test
 *       ({@link #parentRow}), only for maps some child filter tests.</li>
 * </ul>
 * A child's identifier is translated value -> coupled key on its source side, then coupled key ->
 * value on the target side. Keys are JSON arrays ({@link CanonicalText#rowKey}), so no value can
 * run into another part.
 */
final class CouplingEntries {

    /** The value of a by-value entry whose row is out of the map's scope on that side. */
    static final String OUT_OF_SCOPE = "";

    private CouplingEntries() {
    }

    static String byValue(Side side, String column, String value) {
        return CanonicalText.rowKey(List.of("value", side.label(), column, value));
    }

    static String byRow(Side side, String column, String coupledKey) {
        return CanonicalText.rowKey(List.of("row", side.label(), column, coupledKey));
    }

    /**
     * A parent's identifier on one side to the columns of it that child filters test (a JSON object),
     * whether or not the parent is in its own map's scope; see {@link io.dualsync.config.ParentFilter}.
     */
    static String parentRow(Side side, String column, String value) {
        return CanonicalText.rowKey(List.of("parent", side.label(), column, value));
    }
}
