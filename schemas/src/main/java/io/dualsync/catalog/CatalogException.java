package io.dualsync.catalog;

import java.util.List;
import java.util.stream.Collectors;

/**
 * The live databases do not fit the configuration: every {@link CatalogProblem} found, one per
 * line after a header line {@code N catalog problem(s)}.
 */
public class CatalogException extends RuntimeException {

    private final List<CatalogProblem> problems;

    public CatalogException(List<CatalogProblem> problems) {
        super(problems.size() + " catalog problem(s)\n"
                + problems.stream().map(CatalogProblem::toString).collect(Collectors.joining("\n")));
        this.problems = List.copyOf(problems);
    }

    public List<CatalogProblem> problems() {
        return problems;
    }
}
