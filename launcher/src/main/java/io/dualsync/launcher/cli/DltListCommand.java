package io.dualsync.launcher.cli;

import io.dualsync.apply.dlt.DeadLetterListing;
import io.dualsync.apply.dlt.DeadLetterRecord;
import io.dualsync.apply.dlt.DeadLetterTopic;
import io.dualsync.config.SyncConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

import java.util.List;

/** {@code dualsync dlt list}: counts and one line per dead letter, without row values. */
@Command(name = "list", mixinStandardHelpOptions = true,
        description = {"Lists dead letters: counts per map and error class, then per record its partition, offset, "
                + "failure time, map, stage, class, SQL state, attempts and a short reason.",
                "Shows no row values (use 'dlt show' for one record's values)."})
public final class DltListCommand extends DltSubcommand {

    @Mixin
    DltFilterOptions filter;

    @Override
    int run(SyncConfig config) {
        for (DeadLetterTopic topic : options.topics(config)) {
            List<DeadLetterRecord> records = topic.select(filter.filter());
            out().print(DeadLetterListing.format(topic.name(), records));
            out().flush();
        }
        return 0;
    }
}
