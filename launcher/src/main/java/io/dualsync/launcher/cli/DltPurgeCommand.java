package io.dualsync.launcher.cli;

import io.dualsync.apply.dlt.DeadLetterFilter;
import io.dualsync.apply.dlt.DeadLetterTopic;
import io.dualsync.config.SyncConfig;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** {@code dualsync dlt purge}: deletes dead letters up to a point, after a confirmation. */
@Command(name = "purge", mixinStandardHelpOptions = true,
        description = {"Deletes dead letters from dualsync.dlt.<target>: all of them, those written before a time, "
                + "or those before an offset. Kafka deletes records only from the start of a partition up to an "
                + "offset, so there is no purge by map or class.",
                "Asks for confirmation with the count first (--yes skips it), then says how many were removed."})
public final class DltPurgeCommand extends DltSubcommand {

    static final class Scope {
        @Option(names = "--all", required = true, description = "Every dead letter.")
        boolean all;

        @Option(names = "--before", required = true, paramLabel = "TIME",
                description = "Dead letters written before TIME: an instant, a day (UTC) or an age (7d).")
        String before;

        @Option(names = "--before-offset", required = true, paramLabel = "[PARTITION:]OFFSET", split = ",",
                description = "In that partition, the dead letters before that offset (a bare offset means partition 0).")
        List<String> beforeOffsets;
    }

    @ArgGroup(exclusive = true, multiplicity = "1")
    Scope scope;

    @Option(names = {"-y", "--yes"}, description = "Do not ask for confirmation.")
    boolean yes;

    @Override
    int run(SyncConfig config) {
        DeadLetterTopic topic = options.single(config);
        Instant before = scope.before == null ? null : DltFilterOptions.time("--before", scope.before, Instant.now());
        Map<Integer, Long> offsets = new HashMap<>();
        if (scope.beforeOffsets != null) {
            for (String o : scope.beforeOffsets) {
                String p;
                try {
                    p = DeadLetterFilter.position(o);
                } catch (IllegalArgumentException e) {
                    throw new DltOptions.UsageException(e.getMessage());
                }
                String[] parts = p.split(":");
                offsets.put(Integer.parseInt(parts[0]), Long.parseLong(parts[1]));
            }
        }
        List<DeadLetterTopic.Trim> plan = topic.plan(before, offsets);
        long count = plan.stream().mapToLong(DeadLetterTopic.Trim::count).sum();
        if (count == 0) {
            out().printf("%s: nothing to purge%n", topic.name());
            return 0;
        }
        if (!yes && !confirmed(topic.name(), count)) {
            out().println("Nothing purged.");
            return 0;
        }
        long removed = topic.purge(plan);
        out().printf("%s: purged %d dead letter(s)%n", topic.name(), removed);
        return 0;
    }

    private boolean confirmed(String topic, long count) {
        out().printf("Delete %d dead letter(s) from %s? This cannot be undone. [y/N] ", count, topic);
        out().flush();
        try {
            String answer = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
            return answer != null && List.of("y", "yes").contains(answer.trim().toLowerCase(Locale.ROOT));
        } catch (IOException e) {
            return false;
        }
    }
}
