package io.dualsync.transform;

import io.dualsync.catalog.Catalog;
import io.dualsync.catalog.TableSchema;
import io.dualsync.config.Endpoint;
import io.dualsync.config.EndpointKind;
import io.dualsync.config.ParentFilter;
import io.dualsync.config.SyncConfig;
import io.dualsync.config.TableMap;
import io.dualsync.contract.Topics;
import io.dualsync.contract.MappedChangeCodec;
import io.dualsync.contract.MappedColumns;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import io.dualsync.synclog.SyncLogRecorder;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Metrics;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;

import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The transform's Kafka Streams topology, as a pure function of the configuration and the
 * catalog. For every table map and every side it flows from (a {@link Flow}), records of the
 * source table's raw topic are read as bytes, mapped by a processor with its own links store,
 * and written to the map's mapped topic (Avro, target key as record key) or, when they cannot
 * be mapped, unchanged to the target endpoint's dead-letter topic.
 *
 * <p>Nodes are named {@code <map>.<from>-to-<to>.source|.map|.mapped-sink|.dlt-sink} and the
 * store {@code <map>.<from>-to-<to>.links}. Kafka allows one source per topic, so flows reading
 * the same raw table share the source node of the first of them in file order.
 *
 * <p>A bidirectional map adds, between its two flows and its mapped topics, the map's echo
 * filter ({@link EchoFilterProcessor}, {@code <map>.echo-filter}, store {@code <map>.images}):
 * both flows write to {@code dualsync.coupled.<map>} (sinks {@code <map>.<from>-to-<to>.coupled-sink})
 * keyed by the coupled key, so that both sides' images of a coupled row meet in one partition
 * and one store; the filter (source {@code <map>.coupled-source}) writes both mapped topics.
 *
 * <p>Built with the Processor API on {@link Topology} directly rather than the DSL because the
 * processor routes each record to one of two sinks with different serializers (Avro records to
 * the mapped topic, original bytes to the dead-letter topic).
 */
public final class MappingTopology {

    private MappingTopology() {
    }

    /**
     * @throws IllegalArgumentException when a map names a table or column the catalog lacks, or
     *                                  cannot be inverted for a direction it flows in
     */
    public static Topology build(SyncConfig config, Catalog catalog, AvroSerdes serdes) {
        return build(config, catalog, serdes, Metrics.globalRegistry);
    }

    /** @param meters where the counters of suppressed changes go ({@link Suppressions}) */
    public static Topology build(SyncConfig config, Catalog catalog, AvroSerdes serdes, MeterRegistry meters) {
        return build(config, catalog, serdes, new Suppressions(meters));
    }

    /** @param syncLog where the changes not propagated and those dead-lettered are counted per map and minute */
    public static Topology build(SyncConfig config, Catalog catalog, AvroSerdes serdes, MeterRegistry meters,
                                 SyncLogRecorder syncLog) {
        return build(config, catalog, serdes, new Suppressions(meters, syncLog));
    }

    private static Topology build(SyncConfig config, Catalog catalog, AvroSerdes serdes, Suppressions suppressions) {
        Topology topology = new Topology();
        Map<String, String> sourceNodeByTopic = new HashMap<>();
        Map<String, Flow> firstFlowOfMap = new HashMap<>();
        for (TableMap map : config.maps()) {
            if (!Flow.referencedColumns(config, map.name(), io.dualsync.config.Side.A).isEmpty()) {
                addCouplingsStore(topology, map.name());
            }
        }
        for (Flow flow : Flow.all(config)) {
            String sourceNode = sourceNodeByTopic.computeIfAbsent(flow.rawTopic(), topic -> {
                topology.addSource(flow.sourceNodeName(), new ByteArrayDeserializer(), new ByteArrayDeserializer(), topic);
                return flow.sourceNodeName();
            });
            addFlow(topology, flow, sourceNode, config, catalog, serdes, suppressions);
            if (flow.coupled()) {
                Flow first = firstFlowOfMap.putIfAbsent(flow.map().name(), flow);
                if (first != null) {
                    addEchoFilter(topology, first, flow, suppressions);
                }
            }
        }
        return topology;
    }

    /**
     * The echo filter of a bidirectional map: reads both flows' coupled records, keeps the images
     * store, and writes both mapped topics.
     */
    private static void addEchoFilter(Topology topology, Flow aToB, Flow bToA, Suppressions suppressions) {
        JsonSerde<CoupledChange> coupled = new JsonSerde<>(CoupledChange.class);
        topology.addSource(aToB.coupledSourceName(), new StringDeserializer(), coupled.deserializer(), aToB.coupledTopic());
        topology.addProcessor(aToB.echoFilterName(), () -> new EchoFilterProcessor(aToB, bToA, suppressions),
                aToB.coupledSourceName());
        topology.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(aToB.imagesStoreName()),
                Serdes.String(), new JsonSerde<>(SideImages.class)), aToB.echoFilterName());
        for (Flow flow : new Flow[] {aToB, bToA}) {
            topology.addSink(flow.mappedSinkName(), flow.mappedTopic(), new ByteArraySerializer(), new ByteArraySerializer(),
                    aToB.echoFilterName());
        }
    }

    private static void addFlow(Topology topology, Flow flow, String sourceNode, SyncConfig config, Catalog catalog,
                                AvroSerdes serdes, Suppressions suppressions) {
        TableSchema source = catalog.require(flow.sourceTable());
        TableSchema target = catalog.require(flow.targetTable());
        TypeConverter converter = new TypeConverter(zone(config, flow.sourceTable().endpoint()),
                zone(config, flow.targetTable().endpoint()));
        RowMapper rows = RowMapper.of(flow.map(), flow.from(), source, target, converter);
        List<String> writtenIntoSource = flow.coupled() ? MappedColumns.of(flow.map(), flow.to(), catalog).columns() : List.of();
        // only Debezium's PostgreSQL snapshot reads timestamps through java.sql.Timestamp's Julian calendar
        List<String> calendarGuarded = config.endpoint(flow.sourceTable().endpoint()).kind() == EndpointKind.POSTGRES
                ? rows.sourceColumns() : List.of();
        FlowMapper mapper = new FlowMapper(flow, Scope.of(flow), rows, target, writtenIntoSource, calendarGuarded);
        RawChangeDecoder decoder = new RawChangeDecoder(source);
        // the apply service decodes with the codec of the same shared rule (MappedColumns)
        MappedChangeCodec codec = MappedColumns.of(flow.map(), flow.from(), catalog).codec();

        topology.addProcessor(flow.processorName(),
                () -> new MappingProcessor(flow, decoder, mapper, codec, serdes, suppressions), sourceNode);
        topology.addStateStore(linksStore(flow), flow.processorName());
        if (!flow.referencedMaps().isEmpty()) {
            topology.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(flow.waitingStoreName()),
                    Serdes.String(), new JsonSerde<>(WaitingChange.class)), flow.processorName());
        }
        List<String> referenced = Flow.referencedColumns(config, flow.map().name(), flow.from());
        if (!referenced.isEmpty()) {
            List<ParentFilter> childFilters = ParentFilter.onParentMap(config, flow.map().name(), flow.from());
            List<ParentFilter> scopeFollowers = ParentFilter.onParentScope(config, flow.map().name(), flow.from());
            topology.addProcessor(flow.couplingsProcessorName(),
                    () -> new CouplingProcessor(flow, decoder, mapper, referenced, childFilters, scopeFollowers, serdes), sourceNode);
            if (!childFilters.isEmpty() || !scopeFollowers.isEmpty()) {
                // the record key names the endpoint; each endpoint's capture reads its own topic
                topology.addSink(flow.rereadSinkName(),
                        (key, value, context) -> Topics.reread(key), new StringSerializer(), new StringSerializer(),
                        flow.couplingsProcessorName());
            }
            topology.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(flow.couplingRowsStoreName()),
                    Serdes.String(), new JsonSerde<>(CouplingRow.class)), flow.couplingsProcessorName());
            topology.addSink(flow.couplingsSinkName(), Topics.couplings(flow.map().name()), new StringSerializer(),
                    new StringSerializer(), flow.couplingsProcessorName());
        }
        if (flow.coupled()) {
            topology.addSink(flow.coupledSinkName(), flow.coupledTopic(), new StringSerializer(),
                    new JsonSerde<>(CoupledChange.class).serializer(), flow.processorName());
        } else {
            topology.addSink(flow.mappedSinkName(), flow.mappedTopic(),
                    serdes.mappedKeySerializer(), serdes.mappedValueSerializer(), flow.processorName());
        }
        topology.addSink(flow.deadLetterSinkName(), flow.deadLetterTopic(),
                new ByteArraySerializer(), new ByteArraySerializer(), flow.processorName());
    }

    /**
     * The global couplings store of a map that reference fields point to, read from its compacted
     * topic by every instance (see {@link CouplingProcessor} for why global). Global stores are not
     * changelogged: the topic is their changelog.
     */
    private static void addCouplingsStore(Topology topology, String map) {
        String store = Flow.couplingsStoreName(map);
        topology.addGlobalStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(store), Serdes.String(), Serdes.String())
                        .withLoggingDisabled(), Flow.couplingsSourceName(map), new StringDeserializer(), new StringDeserializer(),
                Topics.couplings(map), Flow.couplingsStoreProcessorName(map), () -> new CouplingsStoreProcessor(store));
    }

    private static StoreBuilder<KeyValueStore<String, Link>> linksStore(Flow flow) {
        return Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(flow.storeName()), Serdes.String(), new LinkSerde());
    }

    /** The zone an endpoint's zone-less timestamps are meant in (UTC when the config names none). */
    static ZoneId zone(SyncConfig config, String endpointName) {
        Endpoint endpoint = config.endpoint(endpointName);
        return endpoint.timezone() == null || endpoint.timezone().isBlank() ? ZoneOffset.UTC : ZoneId.of(endpoint.timezone());
    }
}
