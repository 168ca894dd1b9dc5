package io.dualsync.config;

import java.util.List;
import java.util.Optional;

/**
 * Company scoping: a row is in scope on a side only when that side's company column holds one
 * of the included company ids. A side with no column is not filtered by company.
 *
 * @param a       company column on side A
 * @param b       company column on side B
 * @param include company ids that synchronize; never empty when a column is given
 */
public record CompanyFilter(Optional<String> a, Optional<String> b, List<String> include) {

    public static final CompanyFilter NONE = new CompanyFilter(Optional.empty(), Optional.empty(), List.of());

    public CompanyFilter {
        include = List.copyOf(include);
    }

    public Optional<String> column(Side side) {
        return side == Side.A ? a : b;
    }
}
