package io.dualsync.transform;

import io.dualsync.config.Side;
import io.dualsync.config.SyncConfig;
import io.dualsync.config.TableMap;
import io.dualsync.config.TableRef;
import io.dualsync.contract.Topics;

import java.util.ArrayList;
import java.util.List;

/**
 * One direction of one table map: changes captured on side {@code from} travelling to the other
 * side. Gives the names of everything Kafka keeps for it. Those names are part of the
 * application's state (store and changelog names): renaming one orphans its state, which is why
 * {@code MappingTopologyDescriptionTest} pins them.
 */
record Flow(TableMap map, Side from) {

    /** Every flow of the configuration: each map, from each side its direction flows from. */
    static List<Flow> all(SyncConfig config) {
        List<Flow> flows = new ArrayList<>();
        for (TableMap map : config.maps()) {
            for (Side side : Side.values()) {
                if (map.direction().flowsFrom(side)) {
                    flows.add(new Flow(map, side));
                }
            }
        }
        return flows;
    }

    /**
     * Whether this flow's map flows both ways: its changes then pass the map's echo filter
     * (through {@link #coupledTopic()}) instead of going to the mapped topic directly.
     */
    boolean coupled() {
        return map.direction() == io.dualsync.config.Direction.BIDIRECTIONAL;
    }

    Side to() {
        return from.other();
    }

    TableRef sourceTable() {
        return map.table(from);
    }

    TableRef targetTable() {
        return map.table(to());
    }

    /** {@code <map>.<from>-to-<to>}, e.g. {@code customers.a-to-b}. */
    String name() {
        return map.name() + "." + from.label() + "-to-" + to().label();
    }

    String sourceNodeName() {
        return name() + ".source";
    }

    String processorName() {
        return name() + ".map";
    }

    String mappedSinkName() {
        return name() + ".mapped-sink";
    }

    String deadLetterSinkName() {
        return name() + ".dlt-sink";
    }

    String coupledSinkName() {
        return name() + ".coupled-sink";
    }

    /** {@code dualsync.coupled.<map>}: both flows of a bidirectional map, keyed by the coupled key. */
    String coupledTopic() {
        return Topics.coupled(map.name());
    }

    /** The map's echo filter: one per bidirectional map. */
    String echoFilterName() {
        return map.name() + ".echo-filter";
    }

    String coupledSourceName() {
        return map.name() + ".coupled-source";
    }

    /** The last synced images of both sides, per coupled key: one per bidirectional map. */
    String imagesStoreName() {
        return map.name() + ".images";
    }

    /**
     * The maps this flow's reference fields point to: their couplings stores translate them. Empty
     * for a flow without references.
     */
    java.util.Set<String> referencedMaps() {
        java.util.Set<String> maps = new java.util.TreeSet<>();
        map.fields().stream().filter(f -> f.flowsFrom(from)).forEach(f -> f.ref().ifPresent(r -> maps.add(r.map())));
        return maps;
    }

    /**
     * The columns of {@code map}'s side {@code side} that some reference field of the configuration
     * names, in config order; empty when no field refers to the map.
     */
    static List<String> referencedColumns(SyncConfig config, String map, Side side) {
        java.util.Set<String> columns = new java.util.LinkedHashSet<>();
        for (TableMap m : config.maps()) {
            m.fields().forEach(f -> f.ref().filter(r -> r.map().equals(map)).ifPresent(r -> columns.add(r.column(side))));
        }
        return List.copyOf(columns);
    }

    /** The changes waiting for a parent: one per flow with references. */
    String waitingStoreName() {
        return name() + ".waiting";
    }

    /** Publishes this side's rows to the map's couplings: one per flow of a referenced map. */
    String couplingsProcessorName() {
        return name() + ".couplings";
    }

    /** What each source row last published to the couplings. */
    String couplingRowsStoreName() {
        return name() + ".coupling-rows";
    }

    /** Where the couplings processor asks captures to read children again (see {@link io.dualsync.contract.RereadRequest}). */
    String rereadSinkName() {
        return name() + ".reread-sink";
    }

    String couplingsSinkName() {
        return name() + ".couplings-sink";
    }

    /** The couplings of a referenced map, a global store on every instance. */
    static String couplingsStoreName(String map) {
        return map + ".couplings";
    }

    static String couplingsSourceName(String map) {
        return map + ".couplings-source";
    }

    static String couplingsStoreProcessorName(String map) {
        return map + ".couplings-store";
    }

    String storeName() {
        return name() + ".links";
    }

    String rawTopic() {
        return Topics.raw(sourceTable());
    }

    String mappedTopic() {
        return Topics.mapped(map.name(), targetTable().endpoint());
    }

    String deadLetterTopic() {
        return Topics.deadLetter(targetTable().endpoint());
    }
}
