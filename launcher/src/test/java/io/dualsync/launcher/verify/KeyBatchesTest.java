package io.dualsync.launcher.verify;

import io.dualsync.catalog.Column;
import io.dualsync.catalog.SqlType;
import io.dualsync.config.EndpointKind;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code verify --repair} sends its keys in signals of bounded size. */
class KeyBatchesTest {

    private final KeyCondition ids = new KeyCondition(EndpointKind.POSTGRES,
            List.of(new Column("id", SqlType.of(SqlType.Kind.INT64, "int8"), false)));
    private final List<String> sent = new ArrayList<>();

    @Test
    void shouldSendEveryKeyOnceInSignalsOfAtMostTheGivenNumberOfKeys() throws Exception {
        KeyBatches batches = new KeyBatches(ids, 2, 10_000, sent::add);
        for (long i = 1; i <= 5; i++) {
            batches.add(List.of(i));
        }
        batches.finish();
        assertThat(sent).containsExactly("(\"id\" IN (1, 2))", "(\"id\" IN (3, 4))", "(\"id\" IN (5))");
    }

    @Test
    void shouldStartANewSignalBeforeTheConditionGrowsTooLong() throws Exception {
        KeyBatches batches = new KeyBatches(ids, 500, 30, sent::add);
        for (long i = 1_000_000_000L; i < 1_000_000_005L; i++) {
            batches.add(List.of(i)); // 10 digits + separator: about 14 characters a key
        }
        batches.finish();
        assertThat(sent).hasSize(3).allMatch(c -> c.length() < 60);
        assertThat(String.join(" ", sent)).contains("1000000000", "1000000004");
    }

    @Test
    void shouldSendNothingForNoKeys() throws Exception {
        new KeyBatches(ids, 500, 24_000, sent::add).finish();
        assertThat(sent).isEmpty();
    }
}
