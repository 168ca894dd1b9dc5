package io.dualsync.launcher.cli;

import io.dualsync.apply.ApplyOptions;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;

/** {@code --dependent-retries} and {@code --dependent-delay} of the commands that run apply. */
public final class ApplyRetryOptions {

    @Spec(Spec.Target.MIXEE)
    CommandSpec command;

    @Option(names = "--dependent-retries", paramLabel = "N",
            description = "How many times a change whose parent row is missing (foreign key) is retried through "
                    + "dualsync.retry.<target> before it is dead-lettered (default: ${DEFAULT-VALUE}).")
    int dependentRetries = ApplyOptions.defaults().dependentRetries();

    @Option(names = "--dependent-delay", paramLabel = "DURATION", converter = DurationConverter.class,
            description = "The wait before the first such retry, doubling for each further one up to 5 min: "
                    + "e.g. 5s, 500ms, 2m (default: 5s).")
    Duration dependentDelay = ApplyOptions.defaults().dependentDelay();

    ApplyOptions options() {
        if (dependentRetries < 0) {
            throw new CommandLine.ParameterException(command.commandLine(), "--dependent-retries must be 0 or more");
        }
        return ApplyOptions.defaults().withDependentRetries(dependentRetries, dependentDelay);
    }

    /** {@code 500ms}, {@code 5s}, {@code 2m}, {@code 1h}, or ISO-8601 ({@code PT5S}). */
    static final class DurationConverter implements CommandLine.ITypeConverter<Duration> {
        @Override
        public Duration convert(String text) {
            String t = text.trim().toLowerCase(Locale.ROOT);
            try {
                if (t.matches("\\d+ms")) {
                    return Duration.ofMillis(Long.parseLong(t.substring(0, t.length() - 2)));
                }
                if (t.matches("\\d+[smh]")) {
                    return Duration.parse("PT" + t.toUpperCase(Locale.ROOT));
                }
                return Duration.parse(text.trim());
            } catch (NumberFormatException | DateTimeParseException e) {
                throw new CommandLine.TypeConversionException("'" + text + "' is not a duration: write e.g. 5s, 500ms, 2m");
            }
        }
    }
}
