package io.dualsync.it;

import io.dualsync.config.KafkaSettings;
import io.dualsync.config.RegistrySettings;
import io.dualsync.launcher.infra.EmbeddedKafka;
import io.dualsync.launcher.infra.EmbeddedMariaDb;
import io.dualsync.launcher.infra.EmbeddedPostgres;
import io.dualsync.launcher.infra.EmbeddedRegistry;
import io.dualsync.launcher.infra.Infrastructure;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

/**
 * The broker, schema registry and PostgreSQL server every integration test shares: started once
 * per test JVM on first use ({@link #get()}), stopped by a shutdown hook when the JVM exits. The
 * MariaDB server is started only when a test first asks for it ({@link #mariadb()}): it takes
 * 7-15 s, which tests that do not need it must not pay.
 * Starting them per class would cost 10-20 s each time, so tests never stop them; instead each
 * test isolates itself with its own topics, databases, slots and publications, named with
 * {@link #uniqueName(String)}.
 */
public final class SharedInfrastructure {

    private static final Logger log = LoggerFactory.getLogger(SharedInfrastructure.class);

    private final Infrastructure infrastructure;
    private final EmbeddedPostgres postgres;

    private SharedInfrastructure(Infrastructure infrastructure, EmbeddedPostgres postgres) {
        this.infrastructure = infrastructure;
        this.postgres = postgres;
    }

    /** The shared instance, started on the first call; later calls return at once. */
    public static SharedInfrastructure get() {
        return Holder.INSTANCE;
    }

    /** Lazy, thread-safe initialisation by the JVM's class initialisation rules. */
    private static final class Holder {
        static final SharedInfrastructure INSTANCE = startAll();
    }

    private static SharedInfrastructure startAll() {
        // logs before the first background start, so slf4j initialises on one thread only
        log.info("Starting the shared test infrastructure (once per test JVM)");
        long started = System.nanoTime();
        // PostgreSQL starts alongside the broker and registry: all three mostly wait on I/O
        CompletableFuture<EmbeddedPostgres> postgres = CompletableFuture.supplyAsync(EmbeddedPostgres::start);
        Infrastructure infrastructure;
        try {
            infrastructure = Infrastructure.start();
        } catch (RuntimeException e) {
            postgres.thenAccept(EmbeddedPostgres::close);
            throw e;
        }
        SharedInfrastructure shared;
        try {
            shared = new SharedInfrastructure(infrastructure, postgres.join());
        } catch (RuntimeException e) {
            infrastructure.close();
            throw e;
        }
        Runtime.getRuntime().addShutdownHook(new Thread(shared::closeAll, "dualsync-it-infrastructure-shutdown"));
        log.info("Shared test infrastructure ready in {} ms", (System.nanoTime() - started) / 1_000_000);
        return shared;
    }

    public EmbeddedKafka kafka() {
        return infrastructure.kafka();
    }

    public EmbeddedRegistry registry() {
        return infrastructure.registry();
    }

    public EmbeddedPostgres postgres() {
        return postgres;
    }

    /** The shared MariaDB server, started on the first call (it stops itself when the JVM exits). */
    public EmbeddedMariaDb mariadb() {
        return MariaDbHolder.INSTANCE;
    }

    /** Lazy: class initialisation runs only when {@link #mariadb()} is first called. */
    private static final class MariaDbHolder {
        static final EmbeddedMariaDb INSTANCE = EmbeddedMariaDb.start();
    }

    public String bootstrapServers() {
        return kafka().bootstrapServers();
    }

    /** The broker as dualsync's configuration describes it (1 partition, replication factor 1). */
    public KafkaSettings kafkaSettings() {
        return infrastructure.kafkaSettings();
    }

    public RegistrySettings registrySettings() {
        return infrastructure.registrySettings();
    }

    /**
     * A name no other test uses: {@code prefix} plus a random suffix, lower case, usable as a
     * topic, database, slot or publication name ({@code [a-z0-9_]}).
     */
    public static String uniqueName(String prefix) {
        String suffix = UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        return (prefix + "_" + suffix).toLowerCase(Locale.ROOT);
    }

    private void closeAll() {
        try {
            postgres.close();
        } finally {
            infrastructure.close();
        }
    }
}
