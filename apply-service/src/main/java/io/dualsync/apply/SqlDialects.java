package io.dualsync.apply;

import io.dualsync.config.EndpointKind;

/** The dialect of each database product: the one place that branches on the product. */
public final class SqlDialects {

    private SqlDialects() {
    }

    public static SqlDialect of(EndpointKind kind) {
        return switch (kind) {
            case POSTGRES -> new PostgresDialect();
            case MARIADB -> new MariaDbDialect();
        };
    }
}
