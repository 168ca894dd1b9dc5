package io.dualsync.apply;

import java.util.List;

/** The apply user of a target lacks privileges apply needs; {@link #problems()} names each with its GRANT statement. */
public final class ApplyPreconditionException extends IllegalStateException {

    private final List<String> problems;

    ApplyPreconditionException(String endpoint, List<String> problems) {
        super("apply cannot start on endpoint '" + endpoint + "': " + problems.size() + " missing privilege(s)\n  - "
                + String.join("\n  - ", problems));
        this.problems = problems;
    }

    public List<String> problems() {
        return problems;
    }
}
