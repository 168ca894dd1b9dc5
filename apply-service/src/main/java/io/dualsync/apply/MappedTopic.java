package io.dualsync.apply;

import io.dualsync.contract.MappedColumns;
import io.dualsync.catalog.Catalog;
import io.dualsync.config.Side;
import io.dualsync.config.SyncConfig;
import io.dualsync.config.TableMap;
import io.dualsync.contract.Topics;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One mapped topic an apply service for an endpoint consumes: the changes of one map flowing from
 * one side into a table on this endpoint.
 *
 * @param topic   {@code dualsync.mapped.<map>.<endpoint>}
 * @param map     the table map
 * @param from    the side the changes were captured on
 * @param columns the target table and the columns the map writes there
 */
public record MappedTopic(String topic, TableMap map, Side from, MappedColumns columns) {

    /**
     * Every mapped topic whose target is {@code endpoint}: for each map and each side it flows from,
     * the target is the other side's endpoint.
     *
     * @throws IllegalArgumentException when a map flows both ways between two tables of this one
     *                                  endpoint: both directions would share one topic name
     */
    public static List<MappedTopic> forTarget(SyncConfig config, Catalog catalog, String endpoint) {
        config.endpoint(endpoint);
        List<MappedTopic> topics = new ArrayList<>();
        Map<String, TableMap> byTopic = new HashMap<>();
        for (TableMap map : config.maps()) {
            for (Side from : Side.values()) {
                if (!map.direction().flowsFrom(from) || !map.table(from.other()).endpoint().equals(endpoint)) {
                    continue;
                }
                String topic = Topics.mapped(map.name(), endpoint);
                if (byTopic.put(topic, map) != null) {
                    throw new IllegalArgumentException("map '" + map.name() + "' flows both ways between two tables of endpoint '"
                            + endpoint + "'; both directions would share topic " + topic);
                }
                topics.add(new MappedTopic(topic, map, from, MappedColumns.of(map, from, catalog)));
            }
        }
        return List.copyOf(topics);
    }
}
