package io.dualsync.config;

import java.net.URI;

/**
 * The parts of a {@code jdbc:postgresql://host:port/db?...} or {@code jdbc:mariadb://...}
 * URL that Debezium needs as separate settings.
 */
public record JdbcUrl(String scheme, String host, int port, String database) {

    public static JdbcUrl parse(String jdbcUrl) {
        if (jdbcUrl == null || !jdbcUrl.startsWith("jdbc:")) {
            throw new IllegalArgumentException("a JDBC URL starts with 'jdbc:', e.g. jdbc:postgresql://localhost:5432/crm");
        }
        URI uri = URI.create(jdbcUrl.substring("jdbc:".length()));
        if (uri.getHost() == null) {
            throw new IllegalArgumentException("the JDBC URL names no host, e.g. jdbc:postgresql://localhost:5432/crm");
        }
        String path = uri.getPath() == null ? "" : uri.getPath();
        String database = path.startsWith("/") ? path.substring(1) : path;
        if (database.isEmpty()) {
            throw new IllegalArgumentException("the JDBC URL names no database, e.g. jdbc:postgresql://localhost:5432/crm");
        }
        int defaultPort = "postgresql".equals(uri.getScheme()) ? 5432 : 3306;
        return new JdbcUrl(uri.getScheme(), uri.getHost(), uri.getPort() < 0 ? defaultPort : uri.getPort(), database);
    }
}
