package io.dualsync.launcher.verify;

import io.dualsync.config.Side;
import io.dualsync.config.TableMap;

import java.util.ArrayList;
import java.util.List;

/** One direction of a table map that verify checks: rows of side {@code from} against the other side. */
record VerifiedDirection(TableMap map, Side from) {

    /** Every direction the map flows in. */
    static List<VerifiedDirection> of(TableMap map) {
        List<VerifiedDirection> directions = new ArrayList<>();
        for (Side side : Side.values()) {
            if (map.direction().flowsFrom(side)) {
                directions.add(new VerifiedDirection(map, side));
            }
        }
        return directions;
    }

    Side to() {
        return from.other();
    }

    /** {@code a-to-b} or {@code b-to-a}. */
    String label() {
        return from.label() + "-to-" + to().label();
    }
}
