package io.dualsync.transform;

import io.dualsync.catalog.Catalog;
import io.dualsync.catalog.TableSchema;
import io.dualsync.config.Endpoint;
import io.dualsync.config.SyncConfig;
import io.dualsync.contract.MappedChangeCodec;
import io.dualsync.contract.MappedColumns;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;

import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.HashMap;
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
        Topology topology = new Topology();
        Map<String, String> sourceNodeByTopic = new HashMap<>();
        for (Flow flow : Flow.all(config)) {
            String sourceNode = sourceNodeByTopic.computeIfAbsent(flow.rawTopic(), topic -> {
                topology.addSource(flow.sourceNodeName(), new ByteArrayDeserializer(), new ByteArrayDeserializer(), topic);
                return flow.sourceNodeName();
            });
            addFlow(topology, flow, sourceNode, config, catalog, serdes);
        }
        return topology;
    }

    private static void addFlow(Topology topology, Flow flow, String sourceNode, SyncConfig config, Catalog catalog,
                                AvroSerdes serdes) {
        TableSchema source = catalog.require(flow.sourceTable());
        TableSchema target = catalog.require(flow.targetTable());
        TypeConverter converter = new TypeConverter(zone(config, flow.sourceTable().endpoint()),
                zone(config, flow.targetTable().endpoint()));
        RowMapper rows = RowMapper.of(flow.map(), flow.from(), source, target, converter);
        FlowMapper mapper = new FlowMapper(flow, Scope.of(flow), rows, target);
        RawChangeDecoder decoder = new RawChangeDecoder(source);
        // the apply service decodes with the codec of the same shared rule (MappedColumns)
        MappedChangeCodec codec = MappedColumns.of(flow.map(), flow.from(), catalog).codec();

        topology.addProcessor(flow.processorName(),
                () -> new MappingProcessor(flow, decoder, mapper, codec, serdes), sourceNode);
        topology.addStateStore(linksStore(flow), flow.processorName());
        topology.addSink(flow.mappedSinkName(), flow.mappedTopic(),
                serdes.mappedKeySerializer(), serdes.mappedValueSerializer(), flow.processorName());
        topology.addSink(flow.deadLetterSinkName(), flow.deadLetterTopic(),
                new ByteArraySerializer(), new ByteArraySerializer(), flow.processorName());
    }

    private static StoreBuilder<KeyValueStore<String, Link>> linksStore(Flow flow) {
        return Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(flow.storeName()), Serdes.String(), new LinkSerde());
    }

    private static ZoneId zone(SyncConfig config, String endpointName) {
        Endpoint endpoint = config.endpoint(endpointName);
        return endpoint.timezone() == null || endpoint.timezone().isBlank() ? ZoneOffset.UTC : ZoneId.of(endpoint.timezone());
    }
}
