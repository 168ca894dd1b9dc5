package io.dualsync.config;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Reads a map's {@code onInsert:} ({@link OnInsert}) and {@code leavesScope:} ({@link LeavesScope}),
 * and refuses what could not work: values for a side the map never writes, a key column (its value
 * comes from the source row), a column a field also writes toward that side (updates would
 * overwrite it, so it would not be set only on create), the soft-delete column, a missing value, and {@code leavesScope:
 * delete} on a map whose {@code deletes: ignore} never deletes.
 */
final class ScopeSettingsReader {

    private static final List<String> SIDES = List.of("a", "b");

    private ScopeSettingsReader() {
    }

    static OnInsert onInsert(ConfigNode node, Direction direction, List<KeyField> key, List<FieldMap> fields,
                             DeletePolicy deletes) {
        if (!node.present() || !node.expectMapping("onInsert: { a: { relationship_type: customer, status: active } }")) {
            return OnInsert.NONE;
        }
        node.allowOnly(SIDES);
        return new OnInsert(side(node.child("a"), Side.A, direction, key, fields, deletes),
                side(node.child("b"), Side.B, direction, key, fields, deletes));
    }

    private static Map<String, String> side(ConfigNode node, Side side, Direction direction, List<KeyField> key,
                                            List<FieldMap> fields, DeletePolicy deletes) {
        Map<String, String> values = new LinkedHashMap<>();
        String label = side.label();
        if (!node.present() || !node.expectMapping("onInsert: { " + label + ": { status: active } }")) {
            return values;
        }
        Side from = side.other();
        if (!direction.flowsFrom(from)) {
            node.keyProblem("the map flows " + direction.configName() + ", so it never creates rows on side " + label,
                    "remove onInsert." + label + ", or set direction: " + from.label() + "-to-" + label + " or bidirectional");
            return values;
        }
        for (Map.Entry<String, ConfigNode> e : node.entries()) {
            String column = e.getKey();
            ConfigNode value = e.getValue();
            if (key.stream().anyMatch(k -> k.column(side).equals(column))) {
                value.keyProblem("'" + column + "' is a key column of side " + label + ": its value comes from the source row",
                        "remove it from onInsert." + label);
            } else if (fields.stream().anyMatch(f -> f.column(side).equals(Optional.of(column)) && f.flowsFrom(from))) {
                value.keyProblem("'" + column + "' is also written by a field toward side " + label
                                + ", so every update would overwrite it",
                        "remove it from onInsert." + label + " to set it only when a row is created, or remove the field to sync it");
            } else if (deletes.softDeleteColumn().equals(Optional.of(column))) {
                value.keyProblem("'" + column + "' is the soft-delete column: the sync clears it on every write and sets it on delete",
                        "remove it from onInsert." + label);
            } else if (!value.present()) {
                value.keyProblem("the value for '" + column + "' is missing", "write the value, e.g. " + column + ": active (\"\" for empty text)");
            } else {
                value.text().ifPresent(text -> values.put(column, text));
            }
        }
        return values;
    }

    static LeavesScope leavesScope(ConfigNode node, DeletePolicy deletes) {
        Optional<String> text = node.text();
        if (text.isEmpty()) {
            return LeavesScope.KEEP;
        }
        for (LeavesScope choice : LeavesScope.values()) {
            if (choice.configName().equals(text.get())) {
                if (choice == LeavesScope.DELETE && deletes.kind() == DeletePolicy.Kind.IGNORE) {
                    node.problem("leavesScope: delete deletes the target row through the map's deletes policy, but it is"
                                    + " deletes: ignore",
                            "set deletes: delete or deletes: { soft: <column> }, or leavesScope: keep");
                }
                return choice;
            }
        }
        node.problem("'" + text.get() + "' is not a scope-leaving behaviour", "use keep or delete");
        return LeavesScope.KEEP;
    }
}
