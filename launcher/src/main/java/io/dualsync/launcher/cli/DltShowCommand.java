package io.dualsync.launcher.cli;

import io.dualsync.apply.dlt.DeadLetterDecoder;
import io.dualsync.apply.dlt.DeadLetterFilter;
import io.dualsync.apply.dlt.DeadLetterRecord;
import io.dualsync.apply.dlt.DeadLetterTopic;
import io.dualsync.config.SyncConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.util.List;
import java.util.Optional;
import java.util.Set;

/** {@code dualsync dlt show}: one dead letter with its headers and its decoded key and value. */
@Command(name = "show", mixinStandardHelpOptions = true,
        description = {"Shows one dead letter: every header, and its key and value decoded through the schema registry.",
                "This prints ROW VALUES (personal data, perhaps): only the values of the record asked for, "
                        + "to the terminal, never to a log."})
public final class DltShowCommand extends DltSubcommand {

    @Option(names = "--offset", required = true, paramLabel = "[PARTITION:]OFFSET",
            description = "The record in the dead-letter topic (a bare offset means partition 0), as 'dlt list' shows it.")
    String offset;

    @Override
    int run(SyncConfig config) {
        DeadLetterTopic topic = options.single(config);
        String position;
        try {
            position = DeadLetterFilter.position(offset);
        } catch (IllegalArgumentException e) {
            throw new DltOptions.UsageException(e.getMessage());
        }
        List<DeadLetterRecord> found = topic.select(new DeadLetterFilter(Optional.empty(), Optional.empty(),
                Optional.empty(), Optional.empty(), Set.of(position)));
        if (found.isEmpty()) {
            err().println("no record at " + position + " in " + topic.name() + " (purged, or not written yet?)");
            return 1;
        }
        DeadLetterRecord r = found.getFirst();
        out().printf("%s %s, written %s%n%nheaders:%n", topic.name(), r.position(), r.timestamp());
        r.headers().forEach((k, v) -> out().printf("  %s: %s%n", k, v));
        try (DeadLetterDecoder decoder = new DeadLetterDecoder(config.registry())) {
            out().printf("%nkey:%n%s%n%nvalue:%n%s%n", decoder.key(r), decoder.value(r));
        }
        return 0;
    }
}
