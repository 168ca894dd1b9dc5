package io.dualsync.transform;

import io.dualsync.contract.CanonicalText;

import io.dualsync.config.RowFilter;

import java.util.Collection;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Whether a source row is in scope of a flow (design.md, "Scope"): the map's filter for the
 * source side holds for the row as it is after the change, and, when the source side has a
 * company column, the row's company (as text) is one of the included companies. The target
 * side's filter plays no part.
 */
final class Scope {

    private final RowFilter filter;
    private final Optional<String> companyColumn;
    private final Set<String> includedCompanies;

    Scope(RowFilter filter, Optional<String> companyColumn, Collection<String> includedCompanies) {
        this.filter = filter;
        this.companyColumn = companyColumn;
        this.includedCompanies = Set.copyOf(includedCompanies);
    }

    static Scope of(Flow flow) {
        return new Scope(flow.map().filter(flow.from()), flow.map().companies().column(flow.from()),
                flow.map().companies().include());
    }

    boolean includes(Map<String, Object> row) {
        if (!filter.matches(row)) {
            return false;
        }
        if (companyColumn.isEmpty()) {
            return true;
        }
        String company = CanonicalText.format(row.get(companyColumn.get()));
        return company != null && includedCompanies.contains(company);
    }

    /** The row's company id as text; null when the side has no company column or the image lacks it. */
    String companyId(Map<String, Object> row) {
        return companyColumn.map(c -> CanonicalText.format(row.get(c))).orElse(null);
    }
}
