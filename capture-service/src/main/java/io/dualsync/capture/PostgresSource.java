package io.dualsync.capture;

import io.dualsync.config.Endpoint;
import io.dualsync.config.JdbcUrl;
import io.dualsync.config.KafkaSettings;
import io.dualsync.config.Secret;
import io.dualsync.config.TableRef;

import java.util.List;
import java.util.Properties;
import java.util.function.Function;

/**
 * PostgreSQL through logical decoding: the pgoutput plugin, the endpoint's replication slot and
 * a publication Debezium creates for exactly the captured tables ({@code schema.table}).
 * Preconditions: {@link CapturePreconditions}.
 */
final class PostgresSource implements SourceConnector {

    static final String CONNECTOR_CLASS = "io.debezium.connector.postgresql.PostgresConnector";

    @Override
    public void configure(Properties p, Endpoint endpoint, List<TableRef> tables, KafkaSettings kafka,
                          Function<Secret, String> secrets) {
        JdbcUrl url = endpoint.jdbcUrl();
        p.setProperty("connector.class", CONNECTOR_CLASS);
        p.setProperty("plugin.name", "pgoutput");
        p.setProperty("slot.name", endpoint.slot());
        p.setProperty("publication.name", endpoint.publication());
        // Debezium creates the publication for exactly the included tables.
        p.setProperty("publication.autocreate.mode", "filtered");

        p.setProperty("database.hostname", url.host());
        p.setProperty("database.port", Integer.toString(url.port()));
        p.setProperty("database.dbname", url.database());
        p.setProperty("database.user", endpoint.user());
        if (endpoint.password() != null) {
            p.setProperty("database.password", secrets.apply(endpoint.password()));
        }
        p.setProperty("table.include.list", DebeziumProperties.tableIncludeList(tables));
        // the replication connection and Debezium's own JDBC connections are pgjdbc's: the same sslmode and root certificate
        endpoint.tls().ifPresent(tls -> tls.jdbcProperties(endpoint.kind())
                .forEach((key, value) -> p.setProperty("database." + key, value)));
    }

    @Override
    public void verify(Endpoint endpoint, List<TableRef> tables) {
        CapturePreconditions.verify(endpoint, tables);
    }

    @Override
    public String describe(Endpoint endpoint) {
        return "slot '" + endpoint.slot() + "' and publication '" + endpoint.publication() + "'";
    }
}
