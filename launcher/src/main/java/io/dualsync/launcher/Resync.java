package io.dualsync.launcher;

import io.dualsync.capture.ChangedSince;
import io.dualsync.capture.ResyncSignal;
import io.dualsync.catalog.Catalog;
import io.dualsync.catalog.Column;
import io.dualsync.config.Side;
import io.dualsync.config.Spelling;
import io.dualsync.config.SyncConfig;
import io.dualsync.config.TableMap;
import io.dualsync.config.TableRef;
import io.dualsync.contract.BookkeepingTables;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What {@code dualsync resync} asks for (design.md, "Initial and repeated synchronization"): to
 * synchronize one map again, or only its rows changed since a time, while the pipeline runs. For
 * each side the map flows from (both sides of a bidirectional map unless one is chosen), it
 * sends the side's capture an incremental-snapshot signal for the side's table
 * ({@link ResyncSignal}); with a time, restricted to rows whose changed-at column (the map's
 * {@code changedAt}) is at or after it. The rows then travel the ordinary path, so apply's rules
 * hold for them: see the README, "Resynchronizing a map", for what a resynced row overwrites.
 */
public final class Resync {

    /** One signal to send: the map's side, the table to read again and the request. */
    public record Request(String map, Side side, ResyncSignal signal) {

        /** One line for the operator: what will be read again, never row values. */
        public String describe() {
            TableRef t = signal.table();
            return "map '" + map + "': endpoint '" + t.endpoint() + "' reads " + t.qualifiedName() + " again ("
                    + signal.filter().map(f -> "rows where " + f).orElse("every row") + ")";
        }
    }

    /** A request refused before anything was sent; its message is meant for the user as it is. */
    public static final class Refused extends RuntimeException {
        public Refused(String message) {
            super(message);
        }
    }

    private Resync() {
    }

    /**
     * The signals that resynchronize map {@code mapName}.
     *
     * @param since a time ({@link ChangedSince#parse}) to resync only rows changed since; empty: all rows
     * @param from  the side to resync from, as its endpoint name or {@code a}/{@code b}; empty: every
     *              side the map flows from
     * @throws Refused when the map is unknown, does not flow from {@code from}, or has no changed-at
     *                 column on a side to resync by time, or the time cannot be read
     */
    public static List<Request> plan(SyncConfig config, Catalog catalog, String mapName, Optional<String> since,
                                     Optional<String> from) {
        TableMap map = config.map(mapName).orElseThrow(() -> unknownMap(config, mapName));
        List<Side> sides = new ArrayList<>();
        for (Side side : Side.values()) {
            if (map.direction().flowsFrom(side)) {
                sides.add(side);
            }
        }
        if (from.isPresent()) {
            String wanted = from.get();
            List<Side> chosen = sides.stream()
                    .filter(s -> s.label().equals(wanted) || map.table(s).endpoint().equals(wanted)).toList();
            if (chosen.isEmpty()) {
                throw new Refused("map '" + map.name() + "' does not flow from '" + wanted + "': it flows from "
                        + String.join(" and ", sides.stream().map(s -> s.label() + " (" + map.table(s).endpoint() + ")").toList())
                        + "; name one of those with --from, or leave --from out");
            }
            sides = chosen;
        }
        ChangedSince point = null;
        if (since.isPresent()) {
            try {
                point = ChangedSince.parse(since.get());
            } catch (IllegalArgumentException e) {
                throw new Refused("--since " + e.getMessage());
            }
        }
        List<Request> requests = new ArrayList<>();
        for (Side side : sides) {
            TableRef table = map.table(side);
            Optional<String> filter = Optional.empty();
            if (point != null) {
                String columnName = map.changedAt().column(side).orElseThrow(() -> new Refused("map '" + map.name()
                        + "' has no changedAt column for side " + side.label() + " (" + table + "), which --since needs:"
                        + " add changedAt: { " + side.label() + ": <date or timestamp column> } to the map, or resync it"
                        + " without --since"));
                Column column = catalog.table(table).flatMap(t -> t.column(columnName)).orElseThrow(() -> new Refused(
                        "changed-at column '" + columnName + "' of map '" + map.name() + "' does not exist in " + table));
                try {
                    filter = Optional.of(point.condition(config.endpoint(table.endpoint()), column));
                } catch (IllegalArgumentException e) {
                    throw new Refused("map '" + map.name() + "': " + e.getMessage());
                }
            }
            requests.add(new Request(map.name(), side, new ResyncSignal(table, filter)));
        }
        return requests;
    }

    /**
     * Sends the signals, each into its endpoint's signaling table ({@link BookkeepingTables#signal}).
     *
     * @return the id of each signal sent, in order
     * @throws SQLException when an endpoint refuses; the signals before it were sent
     */
    public static List<String> send(SyncConfig config, List<Request> requests) throws SQLException {
        List<String> ids = new ArrayList<>();
        for (Request r : requests) {
            ids.add(r.signal().send(config.endpoint(r.signal().table().endpoint())));
        }
        return ids;
    }

    private static Refused unknownMap(SyncConfig config, String name) {
        List<String> known = config.maps().stream().map(TableMap::name).toList();
        return new Refused("no map named '" + name + "' in " + config.source()
                + Spelling.closest(name, known).map(g -> "; did you mean '" + g + "'?").orElse("")
                + "; the maps are: " + String.join(", ", known));
    }
}
