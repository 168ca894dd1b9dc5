package io.dualsync.transform;

import java.time.Instant;
import java.time.LocalDateTime;
import java.util.Collection;
import java.util.Map;

/**
 * Refuses a snapshot read from PostgreSQL whose mapped timestamp lies before the Gregorian cut-over
 * (1582-10-15): Debezium's PostgreSQL snapshot reads rows through {@code java.sql.Timestamp}, whose Julian
 * calendar shifts such values by days (seen with Debezium 3.5: 0001-01-01 arrived as year 0);
 * the same value in a streamed change is exact. Dead-lettering it is better than a date silently
 * off by days; an update of the row sends it again through the log, exactly.
 */
final class SnapshotCalendarGuard {

    static final LocalDateTime GREGORIAN_START = LocalDateTime.of(1582, 10, 15, 0, 0);
    private static final Instant GREGORIAN_START_UTC = Instant.parse("1582-10-15T00:00:00Z");

    private SnapshotCalendarGuard() {
    }

    /**
     * @throws MappingException naming the first mapped column whose value may have been shifted
     */
    static void check(RawChange change, Collection<String> mappedSourceColumns) {
        if (change.op() != RawChange.Op.SNAPSHOT_READ) {
            return;
        }
        // (MariaDB snapshots read such values exactly: year 1000 is checked in MariaDbToPostgresIT)
        Map<String, Object> row = change.after();
        for (String column : mappedSourceColumns) {
            Object value = row.get(column);
            boolean beforeCutOver = (value instanceof LocalDateTime t && t.isBefore(GREGORIAN_START))
                    || (value instanceof Instant i && i.isBefore(GREGORIAN_START_UTC));
            if (beforeCutOver) {
                throw MappingException.column(column, "a timestamp before 1582-10-15 in the initial snapshot may be shifted"
                        + " by days (Debezium reads snapshot rows through java.sql.Timestamp); update the row to sync it exactly");
            }
        }
    }
}
