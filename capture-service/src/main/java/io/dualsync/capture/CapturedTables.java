package io.dualsync.capture;

import io.dualsync.config.Side;
import io.dualsync.config.SyncConfig;
import io.dualsync.config.TableMap;
import io.dualsync.config.TableRef;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import io.dualsync.contract.BookkeepingTables;

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

    /**
     * The apply checkpoint table of {@code endpoint} when some map writes to it: capture reads it
     * from the log to mark dualsync's own transactions (design.md, "Loop suppression"); its
     * events are never published.
     */
    public static Optional<TableRef> checkpoint(SyncConfig config, String endpoint) {
        for (TableMap map : config.maps()) {
            for (Side from : Side.values()) {
                if (map.direction().flowsFrom(from) && map.table(from.other()).endpoint().equals(endpoint)) {
                    return Optional.of(BookkeepingTables.checkpoint(config.endpoint(endpoint)));
                }
            }
        }
        return Optional.empty();
    }
}
