package io.dualsync.launcher.cli;

import io.dualsync.apply.dlt.DeadLetterRecord;
import io.dualsync.apply.dlt.DeadLetterReplay;
import io.dualsync.apply.dlt.DeadLetterTopic;
import io.dualsync.config.SyncConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.util.List;

/** {@code dualsync dlt replay}: re-publishes dead letters to the topic they failed on. */
@Command(name = "replay", mixinStandardHelpOptions = true,
        description = {"Re-publishes the selected dead letters (all without a filter) to the topic they failed on "
                + "(header dualsync.original.topic), in their original partition, once the cause is fixed.",
                "Safe to run twice: apply skips a change that is not newer than what its row holds. "
                        + "The dead letters stay in the topic; 'dlt purge' removes them.",
                "Conflicts (class conflict) meet the same conflict again unless replayed with --decision overwrite, "
                        + "which makes apply write the incoming version over the local change of the target row. "
                        + "To keep the target's version instead, purge the record."})
public final class DltReplayCommand extends DltSubcommand {

    @Mixin
    DltFilterOptions filter;

    @Option(names = "--decision", paramLabel = "overwrite",
            description = "For conflicts among the records: 'overwrite' lets the incoming change win over the target row's local change.")
    String decision;

    @Override
    int run(SyncConfig config) {
        if (decision != null && !decision.equals("overwrite")) {
            throw new DltOptions.UsageException("--decision takes only 'overwrite' (to keep the target's version, purge the record)");
        }
        for (DeadLetterTopic topic : options.topics(config)) {
            List<DeadLetterRecord> records = topic.select(filter.filter());
            if (records.isEmpty()) {
                out().printf("%s: no dead letters match%n", topic.name());
                continue;
            }
            long conflicts = records.stream().filter(DeadLetterRecord::isConflict).count();
            DeadLetterReplay.Outcome outcome = new DeadLetterReplay(config.kafka()).replay(records, decision != null,
                    (done, total) -> {
                        out().printf("%s: replayed %d of %d%n", topic.name(), done, total);
                        out().flush();
                    });
            outcome.skipped().forEach(s -> err().printf("%s: skipped %s%n", topic.name(), s));
            out().printf("%s: %d dead letter(s) re-published to their original topics%n", topic.name(), outcome.replayed());
            if (conflicts > 0 && decision == null) {
                out().printf("%s: %d of them are conflicts replayed without a decision: they conflict again unless "
                        + "the target row was set back; --decision overwrite lets them win%n", topic.name(), conflicts);
            }
        }
        return 0;
    }
}
