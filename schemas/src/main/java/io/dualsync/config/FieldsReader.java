package io.dualsync.config;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Reads a map's {@code fields:} list into {@link FieldMap}s:
 * {@code { a, b, values: { text: text }, toA: { prefix, constant, default }, toB: {...}, direction,
 * ref: { map, a, b, ifParentMissing, maxWait } }}.
 * A field's {@code direction} (a-to-b, b-to-a, bidirectional; default: as the map) lets one field
 * of a bidirectional map flow one way only. A {@code ref} makes the field a {@link Reference} to
 * another map's rows; {@link MapsReader} checks it against that map once every map is read.
 *
 * <p>A {@code values:} map must be one-to-one when the map flows from b to a, since that way
 * its inverse is used. A field with a column on one side only must say, for the direction that
 * flows toward the other side's column, what to write there ({@code constant} or {@code default}).
 */
final class FieldsReader {

    private static final List<String> KEYS = List.of("a", "b", "values", "toA", "toB", "direction", "ref");
    private static final List<String> TRANSFORM_KEYS = List.of("prefix", "constant", "default");
    private static final List<String> REF_KEYS = List.of("map", "a", "b", "ifParentMissing", "maxWait");
    private static final String REF_EXAMPLE = "ref: { map: customers, a: accountid, b: no }";

    /** A reference field as read, with the node of its {@code ref:} for checks against the other maps. */
    record ReadReference(FieldMap field, ConfigNode node) {
    }

    private final Direction direction;
    /** The reference fields read so far; {@link MapsReader} checks them once every map is read. */
    final List<ReadReference> references = new ArrayList<>();

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
        ConfigNode refNode = node.child("ref");
        Optional<Reference> ref = reference(refNode, a, b, !values.isEmpty() || !toA.isNone() || !toB.isNone());
        if (node.problems.list.size() > before) {
            return null;
        }
        FieldMap field = new FieldMap(a, b, values, toA, toB, fieldDirection, ref);
        if (ref.isPresent()) {
            references.add(new ReadReference(field, refNode));
        }
        return field;
    }

    /**
     * A field's {@code ref:}. Its value is an identifier of the parent row, translated as a whole,
     * so it needs a column on both sides and no value map or transform of its own.
     */
    private Optional<Reference> reference(ConfigNode node, Optional<String> a, Optional<String> b, boolean transformed) {
        if (!node.present() || !node.expectMapping(REF_EXAMPLE)) {
            return Optional.empty();
        }
        node.allowOnly(REF_KEYS);
        String map = node.requiredText("map", "add map: <name of the map that syncs the parent rows>");
        String refA = node.requiredText("a", "add a: <column of the parent's side-a table that the field's value equals>");
        String refB = node.requiredText("b", "add b: <column of the parent's side-b table that the field's value equals>");
        if (a.isEmpty() || b.isEmpty()) {
            node.keyProblem("a reference needs the field's column on both sides",
                    "add " + (a.isEmpty() ? "a" : "b") + ": <column holding the parent's identifier>");
        }
        if (transformed) {
            node.keyProblem("a reference is translated through its map's coupling, so it cannot also have values, toA or toB",
                    "remove values, toA and toB from this field");
        }
        Reference.ParentMissing ifParentMissing = Reference.ParentMissing.WAIT;
        ConfigNode missingNode = node.child("ifParentMissing");
        Optional<String> missing = missingNode.text();
        if (missing.isPresent()) {
            Optional<Reference.ParentMissing> known = Reference.ParentMissing.of(missing.get());
            if (known.isEmpty()) {
                missingNode.problem("'" + missing.get() + "' is not an outcome for a missing parent",
                        "use one of wait, empty, skip, dead-letter");
            }
            ifParentMissing = known.orElse(Reference.ParentMissing.WAIT);
        }
        java.time.Duration maxWait = Durations.read(node.child("maxWait"), Reference.DEFAULT_MAX_WAIT,
                "write a whole number and a unit, e.g. 30s, 10m, 2h");
        if (map == null || refA == null || refB == null) {
            return Optional.empty();
        }
        return Optional.of(new Reference(map, refA, refB, ifParentMissing, maxWait));
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
