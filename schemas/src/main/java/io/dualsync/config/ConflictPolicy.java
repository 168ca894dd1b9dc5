package io.dualsync.config;

import java.util.Optional;

/**
 * What to do when both sides changed the same coupled row: {@code fail} (dead-letter it for an
 * operator), {@code <endpoint>-wins}, or {@code latest-wins} by source commit time.
 */
public record ConflictPolicy(Kind kind, Optional<String> winningEndpoint) {

    public enum Kind { FAIL, ENDPOINT_WINS, LATEST_WINS }

    public static final ConflictPolicy FAIL = new ConflictPolicy(Kind.FAIL, Optional.empty());
}
