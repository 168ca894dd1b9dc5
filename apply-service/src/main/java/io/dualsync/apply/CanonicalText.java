package io.dualsync.apply;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The canonical text of canonical column values (see {@link io.dualsync.contract.ColumnValues}),
 * used for the bookkeeping's row keys and row hashes: equal values give equal text, whatever the
 * database. Decimals as plain digits with their scale, instants and dates in ISO-8601, bytes in
 * lower-case hex, null as JSON null.
 */
public final class CanonicalText {

    private static final ObjectMapper JSON = new ObjectMapper();

    private CanonicalText() {
    }

    /** One value's canonical text, {@code null} for SQL NULL. */
    public static String of(Object value) {
        return switch (value) {
            case null -> null;
            case BigDecimal d -> d.toPlainString();
            case byte[] bytes -> HexFormat.of().formatHex(bytes);
            default -> value.toString();
        };
    }

    /** A row key: the JSON array of the key values' canonical text, e.g. {@code ["C-1001",7]} as {@code ["C-1001","7"]}. */
    public static String rowKey(Collection<?> keyValues) {
        List<String> texts = new ArrayList<>(keyValues.size());
        keyValues.forEach(v -> texts.add(of(v)));
        return json(texts);
    }

    /** Hex SHA-256 of the JSON object of column name to canonical text, in the given column order. */
    public static String rowHash(Map<String, ?> columns) {
        Map<String, String> texts = new LinkedHashMap<>();
        columns.forEach((name, value) -> texts.put(name, of(value)));
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(json(texts).getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }

    private static String json(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("strings always serialize", e);
        }
    }
}
