package io.dualsync.config;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Reads a map's {@code fields:} list into {@link FieldMap}s:
 * {@code { a, b, values: { text: text }, toA: { prefix, constant, default }, toB: {...}, direction }}.
 * A field's {@code direction} (a-to-b, b-to-a, bidirectional; default: as the map) lets one field
 * of a bidirectional map flow one way only.
 *
 * <p>A {@code values:} map must be one-to-one when the map flows from b to a, since that way
 * its inverse is used. A field with a column on one side only must say, for the direction that
 * flows toward the other side's column, what to write there ({@code constant} or {@code default}).
 */
final class FieldsReader {

    private static final List<String> KEYS = List.of("a", "b", "values", "toA", "toB", "direction");
    private static final List<String> TRANSFORM_KEYS = List.of("prefix", "constant", "default");

    private final Direction direction;

    FieldsReader(Direction direction) {
        this.direction = direction;
    }

    List<FieldMap> read(ConfigNode node) {
        List<FieldMap> fields = new ArrayList<>();
        if (!node.present()) {
            return fields;
        }
        List<ConfigNode> items = node.items("fields: [ { a: <column>, b: <column> } ]");
        if (items.isEmpty() && node.json.isArray()) {
            node.problem("no fields are listed", "add the column pairs that travel, e.g. [ { a: name, b: name } ]");
        }
        for (ConfigNode item : items) {
            FieldMap field = field(item);
            if (field != null) {
                fields.add(field);
            }
        }
        return fields;
    }

    private FieldMap field(ConfigNode node) {
        if (!node.expectMapping("{ a: <column>, b: <column> }")) {
            return null;
        }
        int before = node.problems.list.size();
        node.allowOnly(KEYS);
        Optional<String> a = node.text("a");
        Optional<String> b = node.text("b");
        if (a.isEmpty() && b.isEmpty()) {
            node.problem("a field needs a column on side a, side b or both", "add a: <column> and/or b: <column>");
        }
        Direction fieldDirection = direction(node.child("direction"));
        java.util.function.Predicate<Side> flows = from -> direction.flowsFrom(from) && fieldDirection.flowsFrom(from);
        FieldTransform toA = transform(node.child("toA"), a, b, Side.A, flows);
        FieldTransform toB = transform(node.child("toB"), b, a, Side.B, flows);
        Map<String, String> values = values(node.child("values"), flows);
        if (node.problems.list.size() > before) {
            return null;
        }
        return new FieldMap(a, b, values, toA, toB, fieldDirection);
    }

    /**
     * A field's own direction: absent means "as the map"; one-way only inside a bidirectional
     * map, and never against the map's direction.
     */
    private Direction direction(ConfigNode node) {
        Optional<String> text = node.text();
        if (text.isEmpty()) {
            return Direction.BIDIRECTIONAL;
        }
        for (Direction d : Direction.values()) {
            if (d.configName().equals(text.get())) {
                if (d != Direction.BIDIRECTIONAL && direction != Direction.BIDIRECTIONAL && d != direction) {
                    node.problem("the field flows " + d.configName() + " but its map flows " + direction.configName(),
                            "remove direction from the field, or make the map bidirectional");
                }
                return d;
            }
        }
        node.problem("'" + text.get() + "' is not a field direction", "use one of a-to-b, b-to-a, bidirectional");
        return Direction.BIDIRECTIONAL;
    }

    /**
     * @param target the column this transform writes to
     * @param source the column it reads from
     * @param toward the side it writes to
     */
    private FieldTransform transform(ConfigNode node, Optional<String> target, Optional<String> source, Side toward,
                                     java.util.function.Predicate<Side> flows) {
        FieldTransform transform = FieldTransform.NONE;
        String name = "to" + toward.name();
        if (node.present() && node.expectMapping(name + ": { prefix: \"C-\" }")) {
            node.allowOnly(TRANSFORM_KEYS);
            transform = new FieldTransform(node.text("prefix"), node.text("constant"), node.text("default"));
            if (target.isEmpty() && !transform.isNone()) {
                node.keyProblem(name + " is given but the field has no column on side " + toward.label(),
                        "add " + toward.label() + ": <column>, or remove " + name);
            }
        }
        boolean flowsToward = flows.test(toward.other());
        if (flowsToward && target.isPresent() && source.isEmpty()
                && transform.constant().isEmpty() && transform.defaultValue().isEmpty()) {
            node.problems.add(node.problems.document.valuePosition(node.pointer), node.key.substring(0, node.key.lastIndexOf('.')),
                    "the field has no column on side " + toward.other().label() + ", so nothing fills "
                            + toward.label() + "." + target.get(),
                    "add " + toward.other().label() + ": <column>, or " + name + ": { constant: <value> }");
        }
        return transform;
    }

    private Map<String, String> values(ConfigNode node, java.util.function.Predicate<Side> flows) {
        Map<String, String> values = new LinkedHashMap<>();
        if (!node.present() || !node.expectMapping("values: { active: \"\", inactive: \"all\" }")) {
            return values;
        }
        Map<String, String> seen = new HashMap<>();
        for (Map.Entry<String, ConfigNode> e : node.entries()) {
            ConfigNode value = e.getValue();
            if (!value.present()) {
                value.problem("the value for '" + e.getKey() + "' is missing", "write \"\" for empty text");
                continue;
            }
            Optional<String> text = value.text();
            if (text.isEmpty()) {
                continue;
            }
            values.put(e.getKey(), text.get());
            String earlier = seen.putIfAbsent(text.get(), e.getKey());
            if (earlier != null && flows.test(Side.B)) {
                value.problem("'" + earlier + "' and '" + e.getKey() + "' both map to '" + text.get()
                                + "', so going from b to a '" + text.get() + "' would be ambiguous",
                        "make the values one-to-one, or make the map a-to-b");
            }
        }
        return values;
    }
}
