package io.dualsync.capture;

import io.dualsync.catalog.Column;
import io.dualsync.config.Endpoint;
import io.dualsync.config.EndpointKind;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;

/**
 * The point in time of {@code dualsync resync --since}, and the SQL condition on a map's
 * changed-at column that selects the rows changed at or after it, for Debezium's
 * {@code additional-conditions}. The time is ISO-8601: an instant or a date-time with an offset
 * ({@code 2026-11-30T15:00:00Z}, {@code 2026-11-30T16:00:00+01:00}), or a local date-time or date
 * ({@code 2026-11-30T15:00}, {@code 2026-11-30}), which is meant in the endpoint's
 * {@code timezone} (UTC when it has none).
 *
 * <p>The condition is built from the parsed value and the catalog's column, never from the text
 * as typed, so it cannot carry SQL of its own: by column type, a {@code timestamptz} (PostgreSQL)
 * or {@code timestamp} (MariaDB, a UTC instant) column is compared with the instant; a zone-less
 * {@code timestamp}/{@code datetime} column with the wall-clock time in the endpoint's zone; a
 * {@code date} column with the date there (the whole day is included).
 */
public final class ChangedSince {

    private static final DateTimeFormatter WALL_CLOCK = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSSSSS");

    private final Instant instant;
    private final LocalDateTime local;

    private ChangedSince(Instant instant, LocalDateTime local) {
        this.instant = instant;
        this.local = local;
    }

    /** @throws IllegalArgumentException naming the accepted forms when the text is none of them */
    public static ChangedSince parse(String text) {
        String t = text.strip();
        try {
            return new ChangedSince(OffsetDateTime.parse(t).toInstant(), null);
        } catch (DateTimeParseException notOffset) {
            try {
                return new ChangedSince(null, LocalDateTime.parse(t));
            } catch (DateTimeParseException notLocal) {
                try {
                    return new ChangedSince(null, LocalDate.parse(t).atStartOfDay());
                } catch (DateTimeParseException notDate) {
                    throw new IllegalArgumentException("'" + text + "' is not a time: write ISO-8601, e.g. 2026-11-30T15:00:00Z,"
                            + " 2026-11-30T16:00:00+01:00, 2026-11-30T15:00 or 2026-11-30");
                }
            }
        }
    }

    /** The instant meant, a local time read in {@code zone}. */
    public Instant instant(ZoneId zone) {
        return instant != null ? instant : local.atZone(zone).toInstant();
    }

    /**
     * The condition "changed at or after this time" on {@code column} of a table of {@code endpoint}.
     *
     * @throws IllegalArgumentException when the column is not a date or timestamp
     */
    public String condition(Endpoint endpoint, Column column) {
        ZoneId zone = endpoint.timezone() == null ? ZoneOffset.UTC : ZoneId.of(endpoint.timezone());
        boolean postgres = endpoint.kind() == EndpointKind.POSTGRES;
        String name = postgres ? "\"" + column.name().replace("\"", "\"\"") + "\""
                : "`" + column.name().replace("`", "``") + "`";
        Instant at = instant(zone);
        LocalDateTime wallClock = LocalDateTime.ofInstant(at, zone);
        return switch (column.type().kind()) {
            case TIMESTAMPTZ -> postgres ? name + " >= timestamptz '" + at + "'"
                    // FROM_UNIXTIME gives the instant in the session's zone, as a TIMESTAMP column compares
                    : name + " >= FROM_UNIXTIME(" + new BigDecimal(at.getEpochSecond()).add(BigDecimal.valueOf(at.getNano(), 9))
                    .setScale(6, java.math.RoundingMode.FLOOR).toPlainString() + ")";
            case TIMESTAMP -> name + " >= " + (postgres ? "timestamp " : "") + "'" + WALL_CLOCK.format(wallClock) + "'";
            case DATE -> name + " >= " + (postgres ? "date " : "") + "'" + wallClock.toLocalDate() + "'";
            default -> throw new IllegalArgumentException("column " + column.name() + " is " + column.type().nativeName()
                    + ", not a date or timestamp");
        };
    }

    @Override
    public String toString() {
        return instant != null ? instant.toString() : local.toString();
    }
}
