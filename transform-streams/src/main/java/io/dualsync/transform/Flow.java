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
