package io.dualsync.config;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;

/**
 * A row filter from the YAML file, e.g. {@code relationship_type = 'customer' and blocked <> 'all'}:
 * conditions on one row's own columns, all of which must hold. Evaluated by the topology on the
 * source side's row image. {@link #ALL} lets every row through.
 *
 * @param expression the text as written, for messages
 * @param conditions parsed conditions, all of which must hold
 */
public record RowFilter(String expression, List<Condition> conditions) {

    public static final RowFilter ALL = new RowFilter("", List.of());

    public RowFilter {
        conditions = List.copyOf(conditions);
    }

    public enum Operator { EQ, NE, IN, NOT_IN, IS_NULL, IS_NOT_NULL }

    /**
     * One comparison of a column with literals. Literals are compared with the column's value as
     * numbers when both are numeric (so {@code 1.0 = 1}), else as text.
     */
    public record Condition(String column, Operator operator, List<String> literals) {
        public Condition {
            literals = List.copyOf(literals);
        }

        boolean holds(Object value) {
            return switch (operator) {
                case IS_NULL -> value == null;
                case IS_NOT_NULL -> value != null;
                case EQ, IN -> value != null && literals.stream().anyMatch(l -> same(value, l));
                case NE, NOT_IN -> value != null && literals.stream().noneMatch(l -> same(value, l));
            };
        }

        private static boolean same(Object value, String literal) {
            if (value instanceof Number || value instanceof BigDecimal) {
                try {
                    return new BigDecimal(value.toString()).compareTo(new BigDecimal(literal)) == 0;
                } catch (NumberFormatException notNumeric) {
                    return value.toString().equals(literal);
                }
            }
            if (value instanceof Boolean b) {
                return b.toString().equalsIgnoreCase(literal);
            }
            return value.toString().equals(literal);
        }
    }

    /** Whether the row (column name to value, {@code null} for SQL NULL) satisfies every condition. */
    public boolean matches(Map<String, ?> row) {
        for (Condition c : conditions) {
            if (!c.holds(row.get(c.column()))) {
                return false;
            }
        }
        return true;
    }

    public boolean isAll() {
        return conditions.isEmpty();
    }
}
