package io.dualsync.capture;

import io.dualsync.config.SyncConfig;
import io.dualsync.config.TableMap;
import io.dualsync.config.TableRef;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Which tables the capture engine of one endpoint reads: every table that some table map
 * references on that endpoint, on either side, each once, in config order. Both sides are
 * captured whatever the map's direction, so the topology sees every change to a coupled row.
 */
public final class CapturedTables {

    private CapturedTables() {
    }

    /** The tables of {@code endpoint} named by the config's maps; empty when no map uses it. */
    public static List<TableRef> of(SyncConfig config, String endpoint) {
        Set<TableRef> tables = new LinkedHashSet<>();
        for (TableMap map : config.maps()) {
            if (map.a().endpoint().equals(endpoint)) {
                tables.add(map.a());
            }
            if (map.b().endpoint().equals(endpoint)) {
                tables.add(map.b());
            }
        }
        return List.copyOf(tables);
    }
}
