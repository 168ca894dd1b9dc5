package io.dualsync.config;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The part of a child map's filter that tests its parent's columns (issue 7, "Filters on a
 * parent's fields"), e.g. {@code parentcustomerid.relationship = 'customer'} on the contacts of
 * the CRM: the child map, the side, its reference field and the parent map it points to, and the
 * conditions on the parent. The parent's flow re-evaluates them when a parent row changes, so that
 * the children follow their parent into and out of scope.
 *
 * @param child          the map whose filter tests the parent
 * @param side           the side of that filter (the parent is the referenced map's row on the same side)
 * @param referenceField the child's column on {@code side} that holds the parent's identifier
 * @param reference      how that field refers to the parent map
 * @param onParent       the conditions on the parent's columns
 */
public record ParentFilter(TableMap child, Side side, String referenceField, Reference reference, RowFilter onParent) {

    /** The parent's identifying column on this side (the one the reference field holds). */
    public String parentColumn() {
        return reference.column(side);
    }

    /** Whether a parent row (its tested columns; null: no such row) lets the children through. */
    public boolean admits(Map<String, ?> parentRow) {
        return parentRow != null && onParent.conditions().stream().allMatch(c -> c.holds(parentRow.get(c.column())));
    }

    /** The filters on rows of {@code parentMap}'s side {@code side}, over every map of the configuration. */
    public static List<ParentFilter> onParentMap(SyncConfig config, String parentMap, Side side) {
        List<ParentFilter> filters = new ArrayList<>();
        for (TableMap child : config.maps()) {
            RowFilter filter = child.filter(side);
            for (String field : filter.referenceFields()) {
                child.fields().stream()
                        .filter(f -> f.column(side).equals(java.util.Optional.of(field)))
                        .flatMap(f -> f.ref().stream())
                        .filter(r -> r.map().equals(parentMap))
                        .findFirst()
                        .ifPresent(r -> filters.add(new ParentFilter(child, side, field, r, filter.onParentOf(field))));
            }
        }
        return filters;
    }

    /**
     * The references to {@code parentMap} on side {@code side} whose outcome for a parent out of the
     * parent map's scope is decided at once ({@code empty}, {@code skip}, {@code dead-letter}): their
     * children must be read again when the parent moves into or out of its map's scope, as for a
     * filter on the parent (as a filter that only admits parents in scope). Children under
     * {@code wait} wait for the parent instead.
     */
    public static List<ParentFilter> onParentScope(SyncConfig config, String parentMap, Side side) {
        List<ParentFilter> followers = new ArrayList<>();
        for (TableMap child : config.maps()) {
            for (FieldMap field : child.fields()) {
                java.util.Optional<String> column = field.column(side);
                field.ref().filter(r -> r.map().equals(parentMap) && r.ifParentMissing() != Reference.ParentMissing.WAIT
                                && column.isPresent() && field.flowsFrom(side) && child.direction().flowsFrom(side))
                        .ifPresent(r -> followers.add(new ParentFilter(child, side, column.get(), r, RowFilter.ALL)));
            }
        }
        return followers;
    }

    /** The parent columns that some child filter tests, on {@code parentMap}'s side {@code side}. */
    public static List<String> testedColumns(SyncConfig config, String parentMap, Side side) {
        return testedColumns(onParentMap(config, parentMap, side));
    }

    /** The parent columns that these filters test. */
    public static List<String> testedColumns(List<ParentFilter> filters) {
        Set<String> columns = new LinkedHashSet<>();
        filters.forEach(f -> columns.addAll(f.onParent().parentColumns(f.referenceField())));
        return List.copyOf(columns);
    }

    /**
     * Every child whose rows must be read again when a parent changes, over all maps and sides
     * ({@link #onParentMap} and {@link #onParentScope} of every map): who asks, and where to read.
     */
    public static List<ParentFilter> all(SyncConfig config) {
        List<ParentFilter> all = new ArrayList<>();
        for (TableMap parent : config.maps()) {
            for (Side side : Side.values()) {
                all.addAll(onParentMap(config, parent.name(), side));
                all.addAll(onParentScope(config, parent.name(), side));
            }
        }
        return all;
    }
}
