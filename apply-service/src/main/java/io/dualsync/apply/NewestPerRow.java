package io.dualsync.apply;

import io.dualsync.contract.MappedChange;

import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Keeps, of several changes to one target row in a batch, only the newest by source position (the
 * later one in the batch on a tie): applying the older ones first would write states the newest
 * overwrites in the same transaction. The survivors come out in source-position order, the order
 * the source wrote them.
 */
final class NewestPerRow {

    /** One change of a batch with its place in the batch and its row key. */
    record Item(int index, MappedChange change, String rowKey) {
        long position() {
            return change.sourcePosition();
        }
    }

    record Selection(List<Item> newest, int superseded) {
    }

    private NewestPerRow() {
    }

    static Selection of(List<Item> items) {
        Map<String, Item> newest = new LinkedHashMap<>();
        for (Item item : items) {
            newest.merge(item.rowKey(), item, (kept, next) -> next.position() >= kept.position() ? next : kept);
        }
        List<Item> ordered = newest.values().stream()
                .sorted(Comparator.comparingLong(Item::position).thenComparingInt(Item::index))
                .toList();
        return new Selection(ordered, items.size() - ordered.size());
    }
}
