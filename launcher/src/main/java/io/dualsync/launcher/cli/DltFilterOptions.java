package io.dualsync.launcher.cli;

import io.dualsync.apply.dlt.DeadLetterFilter;
import picocli.CommandLine.Option;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/** Which dead letters {@code dlt list} and {@code dlt replay} select. */
public final class DltFilterOptions {

    @Option(names = "--map", paramLabel = "NAME", description = "Only dead letters of this map.")
    String map;

    @Option(names = "--error-class", paramLabel = "CLASS",
            description = "Only dead letters of this class: permanent, dependent, conflict or undecodable "
                    + "(older transform dead letters carry their exception class instead, e.g. MappingException).")
    String errorClass;

    @Option(names = "--since", paramLabel = "TIME",
            description = "Only dead letters that last failed at or after TIME: an instant (2026-11-30T14:00:00Z), "
                    + "a day (2026-11-30, UTC), or an age (90m, 2h, 7d).")
    String since;

    @Option(names = "--until", paramLabel = "TIME", description = "Only dead letters that last failed before TIME (as --since).")
    String until;

    @Option(names = "--offset", paramLabel = "[PARTITION:]OFFSET", split = ",",
            description = "Only these records of the dead-letter topic (a bare offset means partition 0); repeatable or comma-separated.")
    List<String> offsets = new ArrayList<>();

    DeadLetterFilter filter() {
        Set<String> positions = new LinkedHashSet<>();
        try {
            offsets.forEach(o -> positions.add(DeadLetterFilter.position(o)));
        } catch (IllegalArgumentException e) {
            throw new DltOptions.UsageException(e.getMessage());
        }
        return new DeadLetterFilter(Optional.ofNullable(map), Optional.ofNullable(errorClass),
                Optional.ofNullable(since).map(t -> time("--since", t, Instant.now())),
                Optional.ofNullable(until).map(t -> time("--until", t, Instant.now())), positions);
    }

    boolean any() {
        return map != null || errorClass != null || since != null || until != null || !offsets.isEmpty();
    }

    /** An instant, a UTC day, or an age ({@code 90m}, {@code 2h}, {@code 7d}) before {@code now}. */
    static Instant time(String option, String text, Instant now) {
        String t = text.trim().toLowerCase(Locale.ROOT);
        try {
            if (t.matches("\\d+[smhd]")) {
                long n = Long.parseLong(t.substring(0, t.length() - 1));
                Duration age = switch (t.charAt(t.length() - 1)) {
                    case 's' -> Duration.ofSeconds(n);
                    case 'm' -> Duration.ofMinutes(n);
                    case 'h' -> Duration.ofHours(n);
                    default -> Duration.ofDays(n);
                };
                return now.minus(age);
            }
            if (t.matches("\\d{4}-\\d{2}-\\d{2}")) {
                return LocalDate.parse(t).atStartOfDay(ZoneOffset.UTC).toInstant();
            }
            return Instant.parse(text.trim());
        } catch (DateTimeParseException | NumberFormatException e) {
            throw new DltOptions.UsageException(option + " '" + text + "' is not a time: write an instant "
                    + "(2026-11-30T14:00:00Z), a day (2026-11-30) or an age (90m, 2h, 7d)");
        }
    }
}
