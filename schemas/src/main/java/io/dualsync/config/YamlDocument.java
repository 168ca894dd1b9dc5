package io.dualsync.config;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import org.yaml.snakeyaml.error.MarkedYAMLException;

import java.io.IOException;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;

/**
 * A YAML file read into a {@link JsonNode} tree together with the line and column of every key
 * and value, looked up by JSON pointer ({@code /maps/0/fields/2}).
 *
 * <p>Jackson's tree forgets where things were, so the token stream is walked once and the tree
 * built from it here. Every scalar becomes a text node holding the text as written: YAML 1.1
 * would read {@code no} as {@code false} and {@code 007} as {@code 7}, but column names and
 * values in a sync config are text, and numbers are parsed where a number is expected.
 */
final class YamlDocument {

    /** Where something is in the file, 1-based. */
    record Position(int line, int column, boolean quoted) {
    }

    /** A YAML syntax error; the file cannot be read further. */
    static final class SyntaxError extends Exception {
        final Position position;

        SyntaxError(String message, Position position) {
            super(message);
            this.position = position;
        }
    }

    private static final YAMLFactory YAML = new YAMLFactory();

    final JsonNode root;
    private final Map<String, Position> valuePositions;
    private final Map<String, Position> keyPositions;
    /** Keys written twice in one mapping, by the pointer of the second occurrence. */
    final Map<String, Position> duplicateKeys;

    private YamlDocument(JsonNode root, Map<String, Position> values, Map<String, Position> keys,
                         Map<String, Position> duplicates) {
        this.root = root;
        this.valuePositions = values;
        this.keyPositions = keys;
        this.duplicateKeys = duplicates;
    }

    /** Where the value at {@code pointer} starts; for an absent value, where its nearest present parent starts. */
    Position valuePosition(String pointer) {
        for (String p = pointer; ; p = parent(p)) {
            Position pos = valuePositions.get(p);
            if (pos != null) {
                return pos;
            }
            if (p.isEmpty()) {
                return new Position(1, 1, false);
            }
        }
    }

    /** Where the key of the entry at {@code pointer} is written, else where its value starts. */
    Position keyPosition(String pointer) {
        Position pos = keyPositions.get(pointer);
        return pos != null ? pos : valuePosition(pointer);
    }

    private static String parent(String pointer) {
        int slash = pointer.lastIndexOf('/');
        return slash <= 0 ? "" : pointer.substring(0, slash);
    }

    static YamlDocument parse(String text) throws SyntaxError {
        Map<String, Position> values = new HashMap<>();
        Map<String, Position> keys = new HashMap<>();
        Map<String, Position> duplicates = new HashMap<>();
        JsonNodeFactory nodes = JsonNodeFactory.instance;
        Deque<JsonNode> open = new ArrayDeque<>();
        JsonNode root = null;
        String pendingName = null;
        try (JsonParser parser = YAML.createParser(text)) {
            JsonToken token;
            while ((token = parser.nextToken()) != null) {
                Position here = position(parser.currentTokenLocation(), text);
                if (token == JsonToken.FIELD_NAME) {
                    pendingName = parser.currentName();
                    String pointer = parser.getParsingContext().pathAsPointer().toString();
                    if (((ObjectNode) open.peek()).has(pendingName)) {
                        duplicates.putIfAbsent(pointer, here);
                    }
                    keys.putIfAbsent(pointer, here);
                    continue;
                }
                if (token == JsonToken.END_OBJECT || token == JsonToken.END_ARRAY) {
                    open.pop();
                    continue;
                }
                JsonNode node = switch (token) {
                    case START_OBJECT -> nodes.objectNode();
                    case START_ARRAY -> nodes.arrayNode();
                    case VALUE_NULL -> nodes.nullNode();
                    default -> nodes.textNode(parser.getText());
                };
                boolean opens = token == JsonToken.START_OBJECT || token == JsonToken.START_ARRAY;
                // A container's own context is already the new one; its pointer is its parent's path.
                String pointer = (opens ? parser.getParsingContext().getParent() : parser.getParsingContext())
                        .pathAsPointer().toString();
                values.putIfAbsent(pointer, here);
                JsonNode parent = open.peek();
                if (parent == null) {
                    root = node;
                } else if (parent instanceof ObjectNode object) {
                    if (!object.has(pendingName)) {
                        object.set(pendingName, node);
                    }
                } else {
                    ((ArrayNode) parent).add(node);
                }
                if (opens) {
                    open.push(node);
                }
            }
        } catch (JsonProcessingException e) {
            throw syntaxError(e);
        } catch (IOException e) {
            throw new IllegalStateException("reading YAML from a string failed", e);
        }
        return new YamlDocument(root, values, keys, duplicates);
    }

    private static Position position(JsonLocation location, String text) {
        long offset = location.getCharOffset();
        boolean quoted = offset >= 0 && offset < text.length()
                && (text.charAt((int) offset) == '"' || text.charAt((int) offset) == '\'');
        return new Position(location.getLineNr(), location.getColumnNr(), quoted);
    }

    private static SyntaxError syntaxError(JsonProcessingException e) {
        // SnakeYAML's exception says what and where without the multi-line source excerpt.
        if (e.getCause() instanceof MarkedYAMLException marked && marked.getProblemMark() != null) {
            String message = marked.getContext() == null ? marked.getProblem()
                    : marked.getContext() + ": " + marked.getProblem();
            return new SyntaxError(message.strip(), new Position(marked.getProblemMark().getLine() + 1,
                    marked.getProblemMark().getColumn() + 1, false));
        }
        JsonLocation at = e.getLocation();
        return new SyntaxError(e.getOriginalMessage().lines().findFirst().orElse("invalid YAML"),
                new Position(at == null ? 1 : at.getLineNr(), at == null ? 1 : at.getColumnNr(), false));
    }
}
