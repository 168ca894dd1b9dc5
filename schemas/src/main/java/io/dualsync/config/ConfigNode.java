package io.dualsync.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A position in the YAML tree being validated: the node, its JSON pointer (to find its line) and
 * its dotted key path (to name it in messages). Reading helpers report what they cannot read to
 * the shared problem list and return empty, so validation always goes on to the end.
 */
final class ConfigNode {

    /** The problems of one file, collected in reading order. */
    static final class Problems {
        final Path file;
        final YamlDocument document;
        final List<ConfigProblem> list = new ArrayList<>();

        Problems(Path file, YamlDocument document) {
            this.file = file;
            this.document = document;
        }

        void add(YamlDocument.Position at, String key, String message, String fix) {
            list.add(new ConfigProblem(file, at.line(), at.column(), key, message, fix));
        }
    }

    final Problems problems;
    final JsonNode json;
    final String pointer;
    final String key;

    ConfigNode(Problems problems, JsonNode json, String pointer, String key) {
        this.problems = problems;
        this.json = json == null ? MissingNode.getInstance() : json;
        this.pointer = pointer;
        this.key = key;
    }

    ConfigNode child(String name) {
        String escaped = name.replace("~", "~0").replace("/", "~1");
        return new ConfigNode(problems, json.get(name), pointer + "/" + escaped, key.isEmpty() ? name : key + "." + name);
    }

    ConfigNode item(int index) {
        return new ConfigNode(problems, json.get(index), pointer + "/" + index, key + "[" + index + "]");
    }

    /** Present and not null ({@code key:} with nothing after it counts as absent). */
    boolean present() {
        return !json.isMissingNode() && !json.isNull();
    }

    boolean isMapping() {
        return json.isObject();
    }

    boolean isScalar() {
        return json.isTextual();
    }

    YamlDocument.Position position() {
        return problems.document.valuePosition(pointer);
    }

    /** Reports a problem with this node's value, at the value. */
    void problem(String message, String fix) {
        problems.add(position(), key, message, fix);
    }

    /** Reports a problem with this node as an entry of its mapping, at the key. */
    void keyProblem(String message, String fix) {
        problems.add(problems.document.keyPosition(pointer), key, message, fix);
    }

    /** Reports keys not in {@code allowed}, suggesting the likely intended one. */
    void allowOnly(List<String> allowed) {
        if (!isMapping()) {
            return;
        }
        for (String name : fieldNames()) {
            if (!allowed.contains(name)) {
                String keys = String.join(", ", allowed);
                child(name).keyProblem("unknown key '" + name + "'", Spelling.closest(name, allowed)
                        .map(g -> "did you mean '" + g + "'? Allowed keys: " + keys)
                        .orElse("use one of " + keys));
            }
        }
    }

    List<String> fieldNames() {
        List<String> names = new ArrayList<>();
        json.fieldNames().forEachRemaining(names::add);
        return names;
    }

    /** This node as a mapping; reports and returns false when it is something else. */
    boolean expectMapping(String example) {
        if (isMapping()) {
            return true;
        }
        problem("expected a mapping, found " + describe(), "write it as " + example);
        return false;
    }

    /** The items of this node as a list; reports and returns an empty list when it is something else. */
    List<ConfigNode> items(String example) {
        if (!json.isArray()) {
            problem("expected a list, found " + describe(), "write it as " + example);
            return List.of();
        }
        List<ConfigNode> items = new ArrayList<>();
        for (int i = 0; i < json.size(); i++) {
            items.add(item(i));
        }
        return items;
    }

    /** The entries of this mapping, in file order. */
    List<Map.Entry<String, ConfigNode>> entries() {
        List<Map.Entry<String, ConfigNode>> entries = new ArrayList<>();
        for (String name : fieldNames()) {
            entries.add(Map.entry(name, child(name)));
        }
        return entries;
    }

    /** The child, reporting it as missing when absent. */
    ConfigNode required(String name, String fix) {
        ConfigNode child = child(name);
        if (!child.present() && isMapping()) {
            String message = child.json.isNull() ? "required key has no value" : "required key is missing";
            problems.add(child.json.isNull() ? problems.document.keyPosition(child.pointer) : position(),
                    child.key, message, fix);
        }
        return child;
    }

    /** This node's text; empty when absent, reported when not a scalar. */
    Optional<String> text() {
        if (!present()) {
            return Optional.empty();
        }
        if (!isScalar()) {
            problem("expected a single value, found " + describe(), null);
            return Optional.empty();
        }
        return Optional.of(json.asText());
    }

    Optional<String> text(String name) {
        return child(name).text();
    }

    String requiredText(String name, String fix) {
        return required(name, fix).text().orElse(null);
    }

    String describe() {
        if (json.isObject()) {
            return "a mapping";
        }
        if (json.isArray()) {
            return "a list";
        }
        if (!present()) {
            return "nothing";
        }
        return "'" + json.asText() + "'";
    }
}
