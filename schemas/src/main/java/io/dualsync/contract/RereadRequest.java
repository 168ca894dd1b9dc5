package io.dualsync.contract;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dualsync.config.TableRef;

import java.util.Objects;

/**
 * A request to read again the rows of a captured table whose {@code column} holds {@code value}
 * (topic {@code dualsync.reread.<endpoint>}, JSON): the children of a parent whose change moved
 * them into or out of their map's scope (issue 7, "Filters on a parent's fields"). The endpoint's
 * capture turns it into an incremental snapshot restricted to those rows; they come back as
 * resync reads and take the ordinary path, where their scope is decided again.
 *
 * @param table  the captured table
 * @param column the table's column to match
 * @param value  the value it must hold, in canonical text ({@link CanonicalText#format})
 */
public record RereadRequest(TableRef table, String column, String value) {

    private static final ObjectMapper JSON = new ObjectMapper();

    public RereadRequest {
        Objects.requireNonNull(table, "table");
        Objects.requireNonNull(column, "column");
        Objects.requireNonNull(value, "value");
    }

    public String toJson() {
        try {
            return JSON.writeValueAsString(new Wire(table.endpoint(), table.schema(), table.table(), column, value));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a reread request could not be written", e);
        }
    }

    /** @throws IllegalArgumentException when the text is not a reread request */
    public static RereadRequest fromJson(String json) {
        try {
            Wire w = JSON.readValue(json, Wire.class);
            return new RereadRequest(new TableRef(w.endpoint(), w.schema(), w.table()), w.column(), w.value());
        } catch (JsonProcessingException | NullPointerException e) {
            throw new IllegalArgumentException("not a reread request", e);
        }
    }

    private record Wire(String endpoint, String schema, String table, String column, String value) {
    }
}
