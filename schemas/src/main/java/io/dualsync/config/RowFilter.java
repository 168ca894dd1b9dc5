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
     *
     * @param via null for a column of the row itself; else the row's reference field whose parent
     *            row holds {@code column} ({@code via.column} in the filter text)
     */
    public record Condition(String via, String column, Operator operator, List<String> literals) {
        public Condition {
            literals = List.copyOf(literals);
        }

        public Condition(String column, Operator operator, List<String> literals) {
            this(null, column, operator, literals);
        }

        /** This comparison, on the parent row of {@code referenceField} instead of the row itself. */
        Condition viaReference(String referenceField) {
            return new Condition(referenceField, column, operator, literals);
        }

        /** The column as written in the filter: {@code column} or {@code via.column}. */
        public String written() {
            return via == null ? column : via + "." + column;
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

    /**
     * Whether the row (column name to value, {@code null} for SQL NULL) satisfies every condition on
     * its own columns; a condition on a parent's column fails (see {@link #matches(Map, ParentRows)}).
     */
    public boolean matches(Map<String, ?> row) {
        return matches(row, ParentRows.NONE);
    }

    /** Where a filter finds the parent row of a reference field: its columns, or null when not known. */
    @FunctionalInterface
    public interface ParentRows {
        ParentRows NONE = (referenceField, value) -> null;

        /**
         * @param referenceField the row's reference field
         * @param value          the value the row holds in it (not null)
         */
        Map<String, ?> of(String referenceField, Object value);
    }

    /**
     * Whether the row satisfies every condition; a condition on a parent's column is evaluated on
     * the parent row, and fails when the reference is null or its parent is not known.
     */
    public boolean matches(Map<String, ?> row, ParentRows parents) {
        for (Condition c : conditions) {
            Object value;
            if (c.via() == null) {
                value = row.get(c.column());
            } else {
                Object reference = row.get(c.via());
                Map<String, ?> parent = reference == null ? null : parents.of(c.via(), reference);
                if (parent == null) {
                    return false;
                }
                value = parent.get(c.column());
            }
            if (!c.holds(value)) {
                return false;
            }
        }
        return true;
    }

    /** Only the conditions on the parent of {@code referenceField}, for re-evaluating them when that parent changes. */
    public RowFilter onParentOf(String referenceField) {
        return new RowFilter(expression, conditions.stream().filter(c -> referenceField.equals(c.via())).toList());
    }

    /** The parent columns the filter tests through {@code referenceField}. */
    public List<String> parentColumns(String referenceField) {
        return conditions.stream().filter(c -> referenceField.equals(c.via())).map(Condition::column).distinct().toList();
    }

    /** The reference fields whose parents the filter tests. */
    public List<String> referenceFields() {
        return conditions.stream().map(Condition::via).filter(java.util.Objects::nonNull).distinct().toList();
    }

    public boolean isAll() {
        return conditions.isEmpty();
    }
}
