package io.dualsync.capture;

import java.util.List;

/**
 * An endpoint cannot be captured as it is configured: the message lists every unmet condition,
 * each with its fix, e.g. {@code wal_level is 'replica' but logical decoding needs 'logical': ...}.
 */
public class CapturePreconditionException extends RuntimeException {

    private final List<String> problems;

    public CapturePreconditionException(String endpoint, List<String> problems, Throwable cause) {
        super("endpoint '" + endpoint + "' cannot be captured:" + System.lineSeparator() + " - "
                + String.join(System.lineSeparator() + " - ", problems), cause);
        this.problems = List.copyOf(problems);
    }

    /** Each unmet condition with its fix, one sentence each. */
    public List<String> problems() {
        return problems;
    }
}
