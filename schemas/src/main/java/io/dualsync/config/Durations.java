package io.dualsync.config;

import java.time.Duration;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads a positive duration written as a whole number and a unit: {@code 7d}, {@code 12h}, {@code 90m}, {@code 30s}. */
final class Durations {

    private static final Pattern DURATION = Pattern.compile("(\\d{1,6})\\s*([dhms])");

    private Durations() {
    }

    /** The node's duration; {@code fallback} when absent; reported (with {@code fix}) and {@code fallback} when unreadable. */
    static Duration read(ConfigNode node, Duration fallback, String fix) {
        Optional<String> text = node.text();
        if (text.isEmpty()) {
            return fallback;
        }
        Matcher m = DURATION.matcher(text.get().strip());
        if (!m.matches() || Long.parseLong(m.group(1)) == 0) {
            node.problem("'" + text.get() + "' is not a duration", fix);
            return fallback;
        }
        long n = Long.parseLong(m.group(1));
        return switch (m.group(2)) {
            case "d" -> Duration.ofDays(n);
            case "h" -> Duration.ofHours(n);
            case "m" -> Duration.ofMinutes(n);
            default -> Duration.ofSeconds(n);
        };
    }
}
