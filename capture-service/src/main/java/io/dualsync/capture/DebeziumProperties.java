package io.dualsync.capture;

import io.dualsync.config.Endpoint;
import io.dualsync.config.KafkaSettings;
import io.dualsync.config.SyncConfig;
import io.dualsync.config.TableRef;
import io.dualsync.config.RegistrySettings;
import io.dualsync.config.Secret;
import io.dualsync.contract.RegistrySerdeSettings;
import io.dualsync.contract.BookkeepingTables;
import io.dualsync.contract.KafkaClients;
import io.dualsync.contract.Topics;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The Debezium Embedded configuration of the capture engine of one endpoint, derived from the
 * sync configuration alone; the database-specific part comes from its {@link SourceConnector}.
 * It fixes the raw-topic contract (brief.md, "Raw topics"):
 * topic prefix {@code dualsync.raw.<endpoint>}, decimals as exact strings, timestamps
 * in microseconds, bytes as bytes, no tombstones, Avro via Apicurio in the Confluent wire format;
 * and it keeps the engine's source offsets in Kafka, so a restarted service resumes where it
 * stopped. The same keys configure the connector on a Kafka Connect cluster.
 *
 * <p>The result holds the database password: log it only through {@link #masked(Properties)}.
 */
public final class DebeziumProperties {

    static final String APICURIO_AVRO_CONVERTER = "io.apicurio.registry.utils.converter.AvroConverter";
    static final String KAFKA_OFFSET_STORE = "org.apache.kafka.connect.storage.KafkaOffsetBackingStore";

    private static final String MASK = "******";
    private static final Pattern SECRET_KEY = Pattern.compile("password|secret|sasl\\.jaas\\.config|token");
    private static final Pattern REGEX_SPECIAL = Pattern.compile("[\\\\.^$|?*+()\\[\\]{}]");

    private DebeziumProperties() {
    }

    /** The engine name, also the key under which Connect stores the endpoint's offsets. */
    public static String engineName(Endpoint endpoint) {
        return "dualsync-capture-" + endpoint.name();
    }

    /**
     * Debezium Embedded properties capturing, from {@code endpoint}, exactly the tables the
     * config's maps reference there ({@link CapturedTables}).
     *
     * @throws IllegalArgumentException when no map uses the endpoint (or a MariaDB endpoint has no server id)
     */
    public static Properties forEndpoint(SyncConfig config, Endpoint endpoint, CaptureOptions options) {
        return forEndpoint(config, endpoint, options, true);
    }

    /**
     * @param signaling whether the endpoint has its signaling table ({@link BookkeepingTables#signal}),
     *                  through which {@code dualsync resync} asks for incremental snapshots; without
     *                  it, the table is neither captured nor named as Debezium's signal collection
     */
    public static Properties forEndpoint(SyncConfig config, Endpoint endpoint, CaptureOptions options, boolean signaling) {
        KafkaSettings kafka = config.kafka();
        Properties p = new Properties();
        // Kafka client settings first, so that what follows cannot be overridden by them. They
        // reach the producer, consumer and admin of Connect's offset store.
        KafkaClients.common(kafka).forEach((k, v) -> p.setProperty(k, String.valueOf(v)));
        p.putAll(connector(config, endpoint, options, signaling, Secret::value));

        p.setProperty("offset.storage", KAFKA_OFFSET_STORE);
        p.setProperty("offset.storage.topic", Topics.captureOffsets(endpoint.name()));
        p.setProperty("offset.storage.partitions", "1");
        p.setProperty("offset.storage.replication.factor", Short.toString(kafka.replicationFactor()));
        p.setProperty("offset.flush.interval.ms", Long.toString(options.offsetFlushInterval().toMillis()));

        // Debezium's ConverterBuilder takes the class from the key.converter.class key (Connect: key.converter)
        p.setProperty("key.converter.class", APICURIO_AVRO_CONVERTER);
        p.setProperty("value.converter.class", APICURIO_AVRO_CONVERTER);
        return p;
    }

    /**
     * The connector's own settings, the same in both modes: what the embedded engine runs and what
     * a Kafka Connect cluster runs ({@link ConnectConnectorConfig}). Leaves out the engine's Kafka
     * clients and offset store, which on Connect are the worker's, and the converter class keys,
     * which the two name differently; holds the converters' registry settings.
     *
     * @param secrets how the database and Kafka passwords are written: values or references
     * @throws IllegalArgumentException when no map uses the endpoint (or a MariaDB endpoint has no server id)
     */
    static Properties connector(SyncConfig config, Endpoint endpoint, CaptureOptions options, boolean signaling,
                                Function<Secret, String> secrets) {
        List<TableRef> tables = CapturedTables.of(config, endpoint.name());
        if (tables.isEmpty()) {
            throw new IllegalArgumentException("no table map references endpoint '" + endpoint.name() + "': nothing to capture");
        }
        KafkaSettings kafka = config.kafka();
        Properties p = new Properties();
        p.setProperty("name", engineName(endpoint));
        // the apply checkpoint of a target endpoint is captured too (loop suppression), never snapshotted:
        // its rows are markers of live transactions
        java.util.Optional<TableRef> checkpoint = CapturedTables.checkpoint(config, endpoint.name());
        TableRef signal = BookkeepingTables.signal(endpoint);
        List<TableRef> included = new java.util.ArrayList<>(tables);
        checkpoint.ifPresent(included::add);
        if (signaling) {
            included.add(signal);
        }
        SourceConnector.of(endpoint).configure(p, endpoint, included, kafka, secrets);
        // only the mapped tables are snapshotted: the bookkeeping tables' rows are markers and signals
        p.setProperty("snapshot.include.collection.list", tableIncludeList(tables));

        // Incremental snapshots on request (dualsync resync): execute-snapshot signals are rows
        // inserted into the signaling table, read from the log like any change, so they reach a
        // running engine; Debezium also writes its snapshot-window watermarks there. The table
        // must be captured (it is in the include list above) and its events are not published
        // (RawRecordTagger).
        if (signaling) {
            p.setProperty("signal.enabled.channels", "source");
            p.setProperty("signal.data.collection", signalDataCollection(endpoint));
        }

        p.setProperty("topic.prefix", Topics.rawPrefix(endpoint.name()));
        p.setProperty("snapshot.mode", "initial");

        // The raw-topic value encodings every consumer relies on (brief.md, "Raw topics").
        p.setProperty("decimal.handling.mode", "string");
        p.setProperty("time.precision.mode", "adaptive_time_microseconds");
        p.setProperty("binary.handling.mode", "bytes");
        p.setProperty("tombstones.on.delete", "false");
        // Table and column names that are not valid Avro names would make the converter fail;
        // Debezium replaces the offending characters with '_' (as MappedChangeCodec.avroName does).
        p.setProperty("schema.name.adjustment.mode", "avro");
        p.setProperty("field.name.adjustment.mode", "avro");

        p.setProperty("poll.interval.ms", Long.toString(options.pollInterval().toMillis()));

        converter(p, "key.converter", config.registry());
        converter(p, "value.converter", config.registry());
        return p;
    }

    /**
     * Debezium's fully-qualified name of the endpoint's signaling table: {@code schema.table} on
     * PostgreSQL, {@code database.table} on MariaDB.
     */
    static String signalDataCollection(Endpoint endpoint) {
        return BookkeepingTables.signal(endpoint).qualifiedName();
    }

    /**
     * Debezium's ConverterBuilder configures the key and value converters of
     * {@code DebeziumEngine.create(Avro.class)} from the {@code key.converter.*} and
     * {@code value.converter.*} subsets (over a shared {@code converter.*} subset), stripping the
     * prefix, as Kafka Connect does; it would pick Apicurio's converter from the registry URL alone,
     * the class is named (by the caller) so the choice does not rest on that rule. The registry settings are those of every
     * dualsync client ({@link RegistrySerdeSettings}): the Confluent wire format, magic byte plus
     * 4-byte content id, no schema-id headers.
     */
    private static void converter(Properties p, String prefix, RegistrySettings registry) {
        RegistrySerdeSettings.of(registry).forEach((key, value) -> p.setProperty(prefix + "." + key, value.toString()));
    }

    /**
     * Debezium's {@code table.include.list}: comma-separated regular expressions, each matched
     * against the whole {@code schema.table}; names are quoted so that {@code .} or {@code $}
     * in them match only themselves.
     */
    static String tableIncludeList(List<TableRef> tables) {
        return tables.stream().map(t -> {
            if (t.qualifiedName().contains(",")) {
                throw new IllegalArgumentException("table " + t + " has a comma in its name, which Debezium's table.include.list cannot express");
            }
            return quoteRegex(t.schema()) + "\\." + quoteRegex(t.table());
        }).collect(Collectors.joining(","));
    }

    static String quoteRegex(String name) {
        return REGEX_SPECIAL.matcher(name).replaceAll("\\\\$0");
    }

    /**
     * The properties as {@code key=value} lines sorted by key, with every password, secret, token
     * and JAAS config replaced by {@code ******}: the only form in which they may be logged.
     */
    public static String masked(Properties properties) {
        Map<String, String> sorted = new TreeMap<>();
        properties.stringPropertyNames().forEach(k -> sorted.put(k,
                SECRET_KEY.matcher(k.toLowerCase(Locale.ROOT)).find() ? MASK : properties.getProperty(k)));
        return sorted.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue())
                .collect(Collectors.joining(System.lineSeparator()));
    }
}
