package io.dualsync.config;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Reads the {@code maps:} section into {@link TableMap}s: {@code name}, {@code a}, {@code b},
 * {@code direction} (a-to-b), {@code key}, {@code fields}, {@code filter} (all rows),
 * {@code companies} (none), {@code conflicts} (fail), {@code deletes} (delete),
 * {@code initialSync: { authoritative: <endpoint> }} (none; bidirectional maps only),
 * {@code changedAt: { a: <column>, b: <column> }} (none; what {@code resync --since} filters on),
 * {@code keyMatching} (exact; or ignore-case, trim, ignore-case-trim), {@code onInsert} (none) and
 * {@code leavesScope} (keep; see {@link ScopeSettingsReader}).
 *
 * <p>A key pair need not be repeated under {@code fields}: every key pair that has no field with
 * the same two columns is added to the map's fields as a plain copy, so {@link TableMap#fields()}
 * always carries the key columns to the target.
 */
final class MapsReader {

    private static final List<String> KEYS = List.of("name", "a", "b", "direction", "key", "fields",
            "filter", "companies", "conflicts", "deletes", "initialSync", "changedAt", "keyMatching", "onInsert",
            "leavesScope");
    private static final List<String> SIDES = List.of("a", "b");
    private static final List<String> COMPANY_KEYS = List.of("a", "b", "include");
    private static final String REF_FIX = "write <endpoint>.<table> or <endpoint>.<schema>.<table>, e.g. crm.public.account";

    private final EndpointsReader endpoints;
    private final Map<String, Integer> namesSeen = new HashMap<>();
    private final Map<FieldsReader.ReadReference, TableMap> references = new LinkedHashMap<>();

    MapsReader(EndpointsReader endpoints) {
        this.endpoints = endpoints;
    }

    List<TableMap> read(ConfigNode maps) {
        List<TableMap> result = new ArrayList<>();
        List<ConfigNode> items = maps.items("a list of maps, each starting with '- name: ...'");
        if (items.isEmpty() && maps.json.isArray()) {
            maps.problem("no maps are defined", "add at least one table map");
        }
        for (ConfigNode item : items) {
            TableMap map = map(item);
            if (map != null) {
                result.add(map);
            }
        }
        references.forEach((read, map) -> checkReference(read, map, result));
        return result;
    }

    /**
     * A reference must name a bidirectional map between the same two endpoints, side a with side a:
     * its coupling is learnt from the changes of both its sides.
     */
    private void checkReference(FieldsReader.ReadReference read, TableMap child, List<TableMap> maps) {
        Reference ref = read.field().ref().orElseThrow();
        ConfigNode mapNode = read.node().child("map");
        Optional<TableMap> parent = maps.stream().filter(m -> m.name().equals(ref.map())).findFirst();
        if (parent.isEmpty()) {
            if (!namesSeen.containsKey(ref.map())) {
                mapNode.problem("no map is named '" + ref.map() + "'", Spelling.closest(ref.map(), namesSeen.keySet())
                        .map(g -> "did you mean '" + g + "'?").orElse("name the map that syncs the parent rows"));
            }
            return; // a map with problems of its own is already reported
        }
        TableMap p = parent.get();
        if (!p.a().endpoint().equals(child.a().endpoint()) || !p.b().endpoint().equals(child.b().endpoint())) {
            mapNode.problem("map '" + p.name() + "' syncs " + p.a().endpoint() + " (a) with " + p.b().endpoint()
                            + " (b), but this map syncs " + child.a().endpoint() + " (a) with " + child.b().endpoint()
                            + " (b): a reference translates side a to side a and side b to side b",
                    "reference a map between the same two endpoints, on the same sides");
        } else if (p.direction() != Direction.BIDIRECTIONAL) {
            mapNode.problem("map '" + p.name() + "' flows " + p.direction().configName()
                            + ", so its coupling can be learnt from one side only",
                    "make map '" + p.name() + "' bidirectional (a field may still flow one way: direction on the field)");
        }
    }

    private TableMap map(ConfigNode node) {
        int before = node.problems.list.size();
        if (!node.expectMapping("- { name: customers, a: crm.public.account, b: erp.customer, key: [...], fields: [...] }")) {
            return null;
        }
        node.allowOnly(KEYS);
        String name = name(node.required("name", "add name: <map name>, e.g. name: customers"));
        TableRef a = tableRef(node.required("a", "add a: <endpoint>.<schema>.<table>"));
        ConfigNode bNode = node.required("b", "add b: <endpoint>.<schema>.<table>");
        TableRef b = tableRef(bNode);
        if (a != null && a.equals(b)) {
            bNode.problem("a and b are the same table " + a, "map two different tables");
        }
        Direction direction = direction(node.child("direction"));
        List<KeyField> key = key(node.required("key", "add key: [ { a: <column>, b: <column> } ]"));
        FieldsReader fieldsReader = new FieldsReader(direction);
        List<FieldMap> fields = fieldsReader.read(node.required("fields", "add fields: [ { a: <column>, b: <column> } ]"));
        for (FieldsReader.ReadReference read : fieldsReader.references) {
            FieldMap f = read.field();
            if (key.stream().anyMatch(k -> f.a().equals(Optional.of(k.a())) || f.b().equals(Optional.of(k.b())))) {
                read.node().keyProblem("a key column cannot be a reference: rows are coupled by their own key values",
                        "key the map on columns of its own rows, and keep the reference as a field");
            }
        }
        ConfigNode filter = node.child("filter");
        RowFilter filterA = RowFilter.ALL;
        RowFilter filterB = RowFilter.ALL;
        if (filter.present() && filter.expectMapping("filter: { a: \"status = 'active'\", b: \"blocked = ''\" }")) {
            filter.allowOnly(SIDES);
            filterA = filter(filter.child("a"));
            filterB = filter(filter.child("b"));
            parentConditions(filter.child("a"), filterA, Side.A, fields);
            parentConditions(filter.child("b"), filterB, Side.B, fields);
        }
        CompanyFilter companies = companies(node.child("companies"));
        ConflictPolicy conflicts = conflicts(node.child("conflicts"), a, b);
        DeletePolicy deletes = deletes(node.child("deletes"));
        Optional<String> initialSyncWinner = initialSyncWinner(node.child("initialSync"), direction, a, b);
        ChangedAt changedAt = changedAt(node.child("changedAt"));
        KeyMatching keyMatching = keyMatching(node.child("keyMatching"));
        OnInsert onInsert = ScopeSettingsReader.onInsert(node.child("onInsert"), direction, key, fields, deletes);
        LeavesScope leavesScope = ScopeSettingsReader.leavesScope(node.child("leavesScope"), deletes);
        if (node.problems.list.size() > before) {
            return null;
        }
        List<FieldMap> withKeys = new ArrayList<>(fields);
        for (KeyField k : key) {
            boolean listed = fields.stream().anyMatch(f -> f.a().equals(Optional.of(k.a())) && f.b().equals(Optional.of(k.b())));
            if (!listed) {
                withKeys.add(new FieldMap(Optional.of(k.a()), Optional.of(k.b()), Map.of(), FieldTransform.NONE, FieldTransform.NONE));
            }
        }
        TableMap map = new TableMap(name, a, b, direction, key, withKeys, filterA, filterB, companies, conflicts, deletes,
                initialSyncWinner, changedAt, keyMatching, onInsert, leavesScope);
        fieldsReader.references.forEach(read -> references.put(read, map));
        return map;
    }

    /** A condition {@code ref.column} must name a reference field of this map on the filter's side. */
    private static void parentConditions(ConfigNode node, RowFilter filter, Side side, List<FieldMap> fields) {
        for (String via : filter.referenceFields()) {
            boolean reference = fields.stream().anyMatch(f -> f.ref().isPresent()
                    && f.column(side).equals(Optional.of(via)));
            if (!reference) {
                node.problem("'" + via + ".' in the filter must be a reference field of this map on side " + side.label()
                                + ", to test its parent's columns",
                        "declare " + via + " as a field with ref: { map: ..., a: ..., b: ... }, or test a column of the row itself");
            }
        }
    }

    private static ChangedAt changedAt(ConfigNode node) {
        if (!node.present() || !node.expectMapping("changedAt: { a: updated_at, b: modified_at }")) {
            return ChangedAt.NONE;
        }
        node.allowOnly(SIDES);
        return new ChangedAt(node.text("a"), node.text("b"));
    }

    private static KeyMatching keyMatching(ConfigNode node) {
        Optional<String> text = node.text();
        if (text.isEmpty()) {
            return KeyMatching.EXACT;
        }
        Optional<KeyMatching> matching = KeyMatching.of(text.get());
        if (matching.isEmpty()) {
            node.problem("'" + text.get() + "' is not a key matching", "use one of exact, ignore-case, trim, ignore-case-trim");
            return KeyMatching.EXACT;
        }
        return matching.get();
    }

    private static Optional<String> initialSyncWinner(ConfigNode node, Direction direction, TableRef a, TableRef b) {
        if (!node.present() || !node.expectMapping("initialSync: { authoritative: <endpoint> }")) {
            return Optional.empty();
        }
        node.allowOnly(List.of("authoritative"));
        Optional<String> winner = node.child("authoritative").text();
        if (winner.isEmpty()) {
            return Optional.empty();
        }
        if (direction != Direction.BIDIRECTIONAL) {
            node.child("authoritative").problem("an authoritative side at the first sync needs a bidirectional map",
                    "remove initialSync, or set direction: bidirectional");
            return Optional.empty();
        }
        List<String> endpoints = new ArrayList<>();
        for (TableRef side : new TableRef[] {a, b}) {
            if (side != null) {
                endpoints.add(side.endpoint());
            }
        }
        if (!endpoints.contains(winner.get())) {
            node.child("authoritative").problem("'" + winner.get() + "' is not an endpoint of this map",
                    "use one of " + String.join(", ", endpoints));
            return Optional.empty();
        }
        return winner;
    }

    private String name(ConfigNode node) {
        Optional<String> name = node.text();
        if (name.isEmpty()) {
            return null;
        }
        if (!EndpointsReader.NAME.matcher(name.get()).matches()) {
            node.problem("'" + name.get() + "' is not a valid map name: it becomes part of topic names",
                    "use only letters, digits, '_' and '-'");
        }
        Integer firstLine = namesSeen.putIfAbsent(name.get(), node.position().line());
        if (firstLine != null) {
            node.problem("a map named '" + name.get() + "' is already defined on line " + firstLine, "give each map its own name");
        }
        return name.get();
    }

    private TableRef tableRef(ConfigNode node) {
        Optional<String> text = node.text();
        if (text.isEmpty()) {
            return null;
        }
        String[] parts = text.get().split("\\.", -1);
        boolean wellFormed = (parts.length == 2 || parts.length == 3);
        for (String part : parts) {
            wellFormed &= !part.isBlank();
        }
        if (!wellFormed) {
            node.problem("'" + text.get() + "' is not a table reference", REF_FIX);
            return null;
        }
        String endpoint = parts[0];
        if (!endpoints.declared.containsKey(endpoint)) {
            String known = String.join(", ", endpoints.declared.keySet());
            node.problem("endpoint '" + endpoint + "' is not defined", Spelling.closest(endpoint, endpoints.declared.keySet())
                    .map(g -> "did you mean '" + g + "'? Defined endpoints: " + known)
                    .orElse("use one of the defined endpoints: " + known));
            return null;
        }
        if (parts.length == 3) {
            return new TableRef(endpoint, parts[1], parts[2]);
        }
        Optional<EndpointKind> kind = endpoints.declared.get(endpoint);
        String schema = kind.map(k -> k == EndpointKind.MARIADB ? endpoints.databases.get(endpoint) : k.defaultSchema()).orElse(null);
        // When the endpoint itself is broken its problem is already reported; the ref is moot.
        return schema == null ? null : new TableRef(endpoint, schema, parts[1]);
    }

    private static Direction direction(ConfigNode node) {
        Optional<String> text = node.text();
        if (text.isEmpty()) {
            return Direction.A_TO_B;
        }
        for (Direction d : Direction.values()) {
            if (d.configName().equals(text.get())) {
                return d;
            }
        }
        node.problem("'" + text.get() + "' is not a direction", "use one of a-to-b, b-to-a, bidirectional");
        return Direction.A_TO_B;
    }

    private static List<KeyField> key(ConfigNode node) {
        List<KeyField> key = new ArrayList<>();
        if (!node.present()) {
            return key;
        }
        List<ConfigNode> items = node.items("key: [ { a: <column>, b: <column> } ]");
        if (items.isEmpty() && node.json.isArray()) {
            node.problem("the key lists no columns", "add the column pairs that identify a row, e.g. [ { a: account_number, b: no } ]");
        }
        for (ConfigNode item : items) {
            if (!item.expectMapping("{ a: <column>, b: <column> }")) {
                continue;
            }
            item.allowOnly(SIDES);
            String a = item.requiredText("a", "add a: <column on side a>");
            String b = item.requiredText("b", "add b: <column on side b>");
            if (a != null && b != null) {
                key.add(new KeyField(a, b));
            }
        }
        return key;
    }

    private static RowFilter filter(ConfigNode node) {
        Optional<String> text = node.text();
        if (text.isEmpty()) {
            return RowFilter.ALL;
        }
        try {
            return RowFilterParser.parse(text.get());
        } catch (RowFilterParser.SyntaxError e) {
            YamlDocument.Position at = node.position();
            // Point at the character itself when the filter sits on one line.
            int column = text.get().contains("\n") ? at.column() : at.column() + (at.quoted() ? 1 : 0) + e.position();
            node.problems.add(new YamlDocument.Position(at.line(), column, false), node.key,
                    "cannot read filter \"" + text.get() + "\" at character " + (e.position() + 1) + ": " + e.getMessage(),
                    "write conditions joined by 'and', e.g. status = 'active' and country in ('DE', 'FR')");
            return RowFilter.ALL;
        }
    }

    private static CompanyFilter companies(ConfigNode node) {
        if (!node.present() || !node.expectMapping("companies: { a: company_id, b: company_code, include: [ \"CRONUS-US\" ] }")) {
            return CompanyFilter.NONE;
        }
        node.allowOnly(COMPANY_KEYS);
        Optional<String> a = node.text("a");
        Optional<String> b = node.text("b");
        List<String> include = new ArrayList<>();
        ConfigNode includeNode = node.child("include");
        if (includeNode.present()) {
            for (ConfigNode item : includeNode.items("include: [ \"CRONUS-US\" ]")) {
                item.text().ifPresent(include::add);
            }
        }
        if ((a.isPresent() || b.isPresent()) && include.isEmpty()) {
            ConfigNode at = includeNode.present() ? includeNode : node;
            at.problems.add(at.position(), includeNode.key, "a company column is given but no company ids are included, so no row would be in scope",
                    "list the company ids that synchronize, e.g. include: [ \"CRONUS-US\" ]");
        } else if (a.isEmpty() && b.isEmpty() && !include.isEmpty()) {
            node.problem("company ids are included but no company column is given",
                    "name the column holding the company id: a: <column> and/or b: <column>");
        }
        return a.isEmpty() && b.isEmpty() ? CompanyFilter.NONE : new CompanyFilter(a, b, include);
    }

    private static ConflictPolicy conflicts(ConfigNode node, TableRef a, TableRef b) {
        Optional<String> text = node.text();
        if (text.isEmpty()) {
            return ConflictPolicy.FAIL;
        }
        Map<String, ConflictPolicy> allowed = new LinkedHashMap<>();
        allowed.put("fail", ConflictPolicy.FAIL);
        for (TableRef side : new TableRef[] {a, b}) {
            if (side != null) {
                allowed.put(side.endpoint() + "-wins", new ConflictPolicy(ConflictPolicy.Kind.ENDPOINT_WINS, Optional.of(side.endpoint())));
            }
        }
        allowed.put("latest-wins", new ConflictPolicy(ConflictPolicy.Kind.LATEST_WINS, Optional.empty()));
        ConflictPolicy policy = allowed.get(text.get());
        if (policy == null) {
            node.problem("'" + text.get() + "' is not a conflict policy of this map", "use one of " + String.join(", ", allowed.keySet()));
            return ConflictPolicy.FAIL;
        }
        return policy;
    }

    private static DeletePolicy deletes(ConfigNode node) {
        if (!node.present()) {
            return DeletePolicy.DELETE;
        }
        String fix = "use delete, ignore, or soft: <column> (e.g. deletes: { soft: deleted })";
        if (node.isMapping()) {
            node.allowOnly(List.of("soft"));
            Optional<String> column = node.child("soft").text();
            if (column.isEmpty() && node.fieldNames().contains("soft")) {
                node.child("soft").problem("soft delete needs a column name", fix);
            }
            return column.map(c -> new DeletePolicy(DeletePolicy.Kind.SOFT, Optional.of(c))).orElse(DeletePolicy.DELETE);
        }
        Optional<String> text = node.text();
        if (text.isPresent() && text.get().equals("delete")) {
            return DeletePolicy.DELETE;
        }
        if (text.isPresent() && text.get().equals("ignore")) {
            return DeletePolicy.IGNORE;
        }
        if (text.isPresent()) {
            node.problem("'" + text.get() + "' is not a delete policy", fix);
        }
        return DeletePolicy.DELETE;
    }
}
