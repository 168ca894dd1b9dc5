package io.dualsync.config;

import java.time.Duration;

/**
 * How a dualsync process shows what it does (YAML {@code observability}).
 *
 * @param port             HTTP port of {@code /metrics}, {@code /health/live} and
 *                         {@code /health/ready} of each service process (default {@value #DEFAULT_PORT};
 *                         {@code 0}: any free port); {@code --metrics-port} overrides it
 * @param syncLogRetention how long the sync log ({@code dualsync.sync-log}) keeps its entries
 *                         (default 7 days, as Business Central's "delete entries older than 7 days")
 */
public record ObservabilitySettings(int port, Duration syncLogRetention) {

    public static final int DEFAULT_PORT = 9464;
    public static final ObservabilitySettings DEFAULTS = new ObservabilitySettings(DEFAULT_PORT, Duration.ofDays(7));
}
