package io.dualsync.capture;

import io.dualsync.config.Endpoint;
import io.dualsync.config.JdbcUrl;
import io.dualsync.config.KafkaSettings;
import io.dualsync.config.Secret;
import io.dualsync.config.TableRef;
import io.dualsync.contract.KafkaClients;
import io.dualsync.contract.Topics;
import org.apache.kafka.clients.CommonClientConfigs;

import java.util.List;
import java.util.Properties;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * MariaDB through its binary log, read by Debezium's MariaDB connector as a replica with the
 * endpoint's {@code serverId}. The schema of a table reference is the MariaDB database, so raw
 * topics are {@code dualsync.raw.<endpoint>.<database>.<table>}.
 *
 * <p>Settings beyond the shared ones: the schema history (the table definitions the connector
 * needs to decode binlog rows, which carry no column names) is kept in the Kafka topic
 * {@link Topics#schemaHistory(String)} and not published as schema-change events;
 * {@code BIGINT UNSIGNED} is read precisely (as a decimal: {@code long} cannot hold 2^64-1); the
 * snapshot takes Debezium's minimal lock (a brief {@code FLUSH TABLES WITH READ LOCK} while the
 * binlog position and table definitions are read, which needs the RELOAD privilege).
 * Preconditions: {@link MariaDbPreconditions}.
 */
final class MariaDbSource implements SourceConnector {

    static final String CONNECTOR_CLASS = "io.debezium.connector.mariadb.MariaDbConnector";
    static final String KAFKA_SCHEMA_HISTORY = "io.debezium.storage.kafka.history.KafkaSchemaHistory";

    @Override
    public void configure(Properties p, Endpoint endpoint, List<TableRef> tables, KafkaSettings kafka,
                          Function<Secret, String> secrets) {
        long serverId = endpoint.serverId().orElseThrow(() -> new IllegalArgumentException("endpoint '" + endpoint.name()
                + "' is mariadb but has no serverId: add serverId: <a number no other replica of the server uses>"));
        JdbcUrl url = endpoint.jdbcUrl();
        p.setProperty("connector.class", CONNECTOR_CLASS);
        p.setProperty("database.hostname", url.host());
        p.setProperty("database.port", Integer.toString(url.port()));
        p.setProperty("database.user", endpoint.user());
        if (endpoint.password() != null) {
            p.setProperty("database.password", secrets.apply(endpoint.password()));
        }
        p.setProperty("database.server.id", Long.toString(serverId));
        p.setProperty("database.include.list", tables.stream().map(TableRef::schema).distinct()
                .map(DebeziumProperties::quoteRegex).collect(Collectors.joining(",")));
        p.setProperty("table.include.list", DebeziumProperties.tableIncludeList(tables));

        endpoint.tls().ifPresent(tls -> {
            p.setProperty("database.ssl.mode", tls.mode().mariadb());
            tls.caFile().ifPresent(ca -> {
                // the binlog client trusts a key store only; Debezium's JDBC connections read the PEM file as apply does
                CaTrustStore trust = CaTrustStore.fromPem(ca);
                p.setProperty("database.ssl.truststore", trust.file().toString());
                p.setProperty("database.ssl.truststore.password", trust.password());
                p.setProperty("database.serverSslCert", ca.toString());
            });
        });

        p.setProperty("bigint.unsigned.handling.mode", "precise");
        p.setProperty("snapshot.locking.mode", "minimal");
        p.setProperty("include.schema.changes", "false");
        // Every change of a transaction carries the transaction's binlog offset: its place within
        // the transaction (transaction.total_order) is what orders two changes of one row there.
        // Debezium then also writes BEGIN/END records to <prefix>.transaction (created in ensureTopics).
        p.setProperty("provide.transaction.metadata", "true");

        p.setProperty("schema.history.internal", KAFKA_SCHEMA_HISTORY);
        p.setProperty("schema.history.internal.kafka.topic", Topics.schemaHistory(endpoint.name()));
        p.setProperty("schema.history.internal.kafka.bootstrap.servers", kafka.bootstrap());
        // the history's own producer and consumer need the same security settings as every client
        KafkaClients.common(kafka, secrets).forEach((key, value) -> {
            if (!key.equals(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG)) {
                p.setProperty("schema.history.internal.producer." + key, String.valueOf(value));
                p.setProperty("schema.history.internal.consumer." + key, String.valueOf(value));
            }
        });
    }

    @Override
    public void verify(Endpoint endpoint, List<TableRef> tables) {
        MariaDbPreconditions.verify(endpoint, tables);
    }

    @Override
    public void ensureTopics(KafkaSettings kafka, Endpoint endpoint) {
        SchemaHistoryTopic.ensure(kafka, Topics.schemaHistory(endpoint.name()));
        KafkaClients.ensureTopics(kafka, List.of(transactionTopic(endpoint)));
    }

    /** Debezium's topic of transaction BEGIN/END records: {@code <raw prefix>.transaction}. */
    static String transactionTopic(Endpoint endpoint) {
        return Topics.rawPrefix(endpoint.name()) + ".transaction";
    }

    @Override
    public String describe(Endpoint endpoint) {
        return "the binlog as replica server id " + endpoint.serverId().map(String::valueOf).orElse("?")
                + ", schema history in " + Topics.schemaHistory(endpoint.name());
    }
}
