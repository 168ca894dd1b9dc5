package io.dualsync.config;

import java.util.List;

/**
 * One table map: which table on side A corresponds to which on side B, how rows are coupled
 * (key), which columns travel and how (fields), which rows are in scope (filter, companies), and
 * the policies for conflicts and deletes.
 *
 * <p>{@link #fields()} includes every key pair: {@link ConfigLoader} adds a plain copy for a key
 * pair that the file does not also list under {@code fields}.
 */
public record TableMap(String name, TableRef a, TableRef b, Direction direction,
                       List<KeyField> key, List<FieldMap> fields,
                       RowFilter filterA, RowFilter filterB, CompanyFilter companies,
                       ConflictPolicy conflicts, DeletePolicy deletes) {

    public TableMap {
        key = List.copyOf(key);
        fields = List.copyOf(fields);
    }

    public TableRef table(Side side) {
        return side == Side.A ? a : b;
    }

    public RowFilter filter(Side side) {
        return side == Side.A ? filterA : filterB;
    }
}
