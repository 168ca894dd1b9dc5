package io.dualsync.transform;

import io.dualsync.contract.CanonicalText;

import io.dualsync.config.Reference;
import io.dualsync.config.RowFilter;
import io.dualsync.config.Side;

import java.util.Collection;
import java.util.HashMap;
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
    private final Side side;
    /** The side's reference fields, by column: where a condition on a parent's column finds the parent. */
    private final Map<String, Reference> references;

    Scope(RowFilter filter, Optional<String> companyColumn, Collection<String> includedCompanies) {
        this(filter, companyColumn, includedCompanies, Side.A, Map.of());
    }

    private Scope(RowFilter filter, Optional<String> companyColumn, Collection<String> includedCompanies, Side side,
                  Map<String, Reference> references) {
        this.filter = filter;
        this.companyColumn = companyColumn;
        this.includedCompanies = Set.copyOf(includedCompanies);
        this.side = side;
        this.references = Map.copyOf(references);
    }

    static Scope of(Flow flow) {
        Map<String, Reference> references = new HashMap<>();
        flow.map().fields().forEach(f -> f.ref().ifPresent(r -> f.column(flow.from()).ifPresent(c -> references.put(c, r))));
        return new Scope(flow.map().filter(flow.from()), flow.map().companies().column(flow.from()),
                flow.map().companies().include(), flow.from(), references);
    }

    /** Whether the row is in scope; a filter condition on a parent's column fails (no parents known here). */
    boolean includes(Map<String, Object> row) {
        return includes(row, Couplings.NONE);
    }

    /**
     * Whether the row is in scope, with the parents of its reference fields looked up in {@code couplings}.
     *
     * @throws ParentNotSynced when a condition tests a parent that is not known yet: the change waits for it
     */
    boolean includes(Map<String, Object> row, Couplings couplings) {
        if (!filter.matches(row, (field, value) -> couplings.parentRow(references.get(field), side, field, value))) {
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
