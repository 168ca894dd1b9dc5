package io.dualsync.config;

import java.nio.file.Path;

/**
 * One thing wrong in a sync configuration file, located so that a user can go straight to it:
 * {@code crm-erp.yaml:14:7: maps[0].direction: 'both' is not a direction. Fix: use one of a-to-b,
 * b-to-a, bidirectional}.
 *
 * @param file    the configuration file
 * @param line    1-based line; for a missing key, the line of the mapping that lacks it
 * @param column  1-based column
 * @param key     dotted path of the offending key, e.g. {@code maps[0].fields[2].toB.prefix};
 *                empty for a problem with the file as a whole
 * @param message what is wrong; never contains a secret
 * @param fix     what to do about it, or {@code null} when there is nothing useful to say
 */
public record ConfigProblem(Path file, int line, int column, String key, String message, String fix) {

    @Override
    public String toString() {
        StringBuilder s = new StringBuilder().append(file).append(':').append(line).append(':').append(column).append(": ");
        if (key != null && !key.isEmpty()) {
            s.append(key).append(": ");
        }
        s.append(message);
        if (fix != null) {
            s.append(". Fix: ").append(fix);
        }
        return s.toString();
    }
}
