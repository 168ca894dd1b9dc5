package io.dualsync.catalog;

import io.dualsync.config.Side;
import io.dualsync.config.TableRef;

/**
 * One mismatch between the configuration and the live databases, named so a user finds it in
 * the config: {@code map 'customers', b (erp.erp.customer): column 'nmae' does not exist. Fix: ...}.
 *
 * @param map     the map concerned, or {@code null} for a problem with an endpoint as a whole
 * @param side    the side of the map concerned, or {@code null}
 * @param table   the table concerned, or {@code null}
 * @param column  the column concerned, or {@code null}
 * @param message what is wrong; names tables, columns and types, never row values
 * @param fix     what to do about it, or {@code null}
 */
public record CatalogProblem(String map, Side side, TableRef table, String column, String message, String fix) {

    @Override
    public String toString() {
        StringBuilder s = new StringBuilder();
        if (map != null) {
            s.append("map '").append(map).append("'");
            if (side != null) {
                s.append(", ").append(side.label());
            }
            if (table != null) {
                s.append(" (").append(table).append(')');
            }
        } else if (table != null) {
            s.append(table);
        } else {
            s.append("catalog");
        }
        s.append(": ").append(message);
        if (fix != null) {
            s.append(". Fix: ").append(fix);
        }
        return s.toString();
    }
}
