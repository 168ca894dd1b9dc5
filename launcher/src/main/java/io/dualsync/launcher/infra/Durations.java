package io.dualsync.launcher.infra;

import java.util.Locale;

/** Formats elapsed times for start-up log lines ("2.4 s"). */
final class Durations {

    private Durations() {
    }

    static String since(long startNanos) {
        double seconds = (System.nanoTime() - startNanos) / 1e9;
        return String.format(Locale.ROOT, "%.1f s", seconds);
    }
}
