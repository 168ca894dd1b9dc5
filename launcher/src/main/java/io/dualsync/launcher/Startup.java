package io.dualsync.launcher;

import io.dualsync.catalog.Catalog;
import io.dualsync.catalog.CatalogException;
import io.dualsync.catalog.JdbcCatalogReader;
import io.dualsync.config.ConfigException;
import io.dualsync.config.ConfigLoader;
import io.dualsync.config.KafkaSettings;
import io.dualsync.config.SyncConfig;
import io.dualsync.contract.KafkaClients;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * What every command does before anything runs: load the YAML file (every problem reported
 * together, with file, line and key), read the mapped tables from the live databases, and
 * check the maps against them. Any problem stops the start with the full list.
 */
public final class Startup {

    private Startup() {
    }

    /** A loaded config and the live catalog it was checked against. */
    public record Checked(SyncConfig config, Catalog catalog) {
    }

    /**
     * @throws StartupException listing every problem found; nothing has been started then
     */
    public static Checked loadAndCheck(Path configFile) {
        SyncConfig config;
        try {
            config = ConfigLoader.load(configFile);
        } catch (ConfigException e) {
            throw new StartupException(e.getMessage(), e);
        }
        Catalog catalog;
        try {
            catalog = JdbcCatalogReader.readValidated(config, JdbcCatalogReader::connect);
        } catch (CatalogException e) {
            throw new StartupException("The live databases do not fit " + configFile + ": " + e.getMessage(), e);
        } catch (RuntimeException e) {
            throw new StartupException("Could not read the mapped tables from the databases of " + configFile
                    + ": " + e.getMessage(), e);
        }
        return new Checked(config, catalog);
    }

    /**
     * How long a service command waits for the broker at start before it gives up. Kafka's clients
     * would otherwise retry an unreachable address for their default API timeout at every step,
     * with a message ("Timed out waiting for a node assignment") that names neither the address
     * nor what to check.
     */
    public static final Duration BROKER_TIMEOUT = Duration.ofSeconds(30);

    /**
     * Checks that the broker of {@code kafka.bootstrap} answers (the cluster's nodes can be
     * listed) within {@code timeout}.
     *
     * @throws StartupException naming the bootstrap address, the cause (a refused TLS handshake
     *                          or login as such) and what to check; never a password
     */
    public static void checkBroker(KafkaSettings kafka, Duration timeout) {
        int millis = (int) timeout.toMillis();
        Map<String, Object> props = KafkaClients.common(kafka);
        props.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, millis);
        props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, millis);
        Admin admin = Admin.create(props);
        try {
            admin.describeCluster(new DescribeClusterOptions().timeoutMs(millis)).nodes()
                    .get(millis + 5_000L, TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw new StartupException(brokerProblem(kafka, timeout, KafkaClients.describeFailure(kafka, e.getCause())), e.getCause());
        } catch (TimeoutException e) {
            throw new StartupException(brokerProblem(kafka, timeout, "no answer"), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StartupException("interrupted while checking the broker at " + kafka.bootstrap(), e);
        } finally {
            admin.close(Duration.ofSeconds(5));
        }
    }

    private static String brokerProblem(KafkaSettings kafka, Duration timeout, String cause) {
        return "Cannot reach Kafka at " + kafka.bootstrap() + " within " + timeout.toSeconds() + " s: " + cause
                + ". Check kafka.bootstrap: the broker must be running and reachable from this host (host name, port,"
                + " firewall), its advertised listeners must name addresses this host can reach, and kafka.security"
                + " must match the listener's protocol. Nothing was started.";
    }

    /** A start refused before anything ran; its message is meant for the user as it is. */
    public static final class StartupException extends RuntimeException {
        public StartupException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
