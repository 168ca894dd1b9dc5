package io.dualsync.launcher.cli;

import io.dualsync.launcher.DualsyncCommand;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The {@code dualsync dlt} commands' parts that need no broker: options, times, messages. */
class DltCommandTest {

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    @TempDir
    Path dir;

    private int run(String... args) {
        CommandLine cli = DualsyncCommand.commandLine();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        return cli.execute(args);
    }

    private Path config(String bootstrap) throws Exception {
        return Files.writeString(dir.resolve("sync.yaml"), """
                kafka: { bootstrap: "%s" }
                registry: { url: http://localhost:8080 }
                endpoints:
                  crm: { kind: postgres, url: "jdbc:postgresql://localhost:1/crm", user: sync }
                  erp: { kind: postgres, url: "jdbc:postgresql://localhost:1/erp", user: sync }
                maps:
                  - name: customers
                    a: crm.public.account
                    b: erp.public.customer
                    direction: bidirectional
                    key: [ { a: id, b: no } ]
                    fields: [ { a: name, b: name } ]
                """.formatted(bootstrap));
    }

    @Test
    void shouldOfferListShowReplayAndPurgeAndSayShowPrintsValues() {
        assertThat(run("dlt", "--help")).isZero();
        assertThat(out.toString()).contains("list", "show", "replay", "purge");

        assertThat(run("dlt", "show", "--help")).isZero();
        assertThat(out.toString()).contains("ROW VALUES");
    }

    @Test
    void shouldReadTimesAsInstantsDaysOrAges() {
        Instant now = Instant.parse("2026-11-30T16:00:00Z");

        assertThat(DltFilterOptions.time("--since", "2026-11-30T14:00:00Z", now)).isEqualTo(Instant.parse("2026-11-30T14:00:00Z"));
        assertThat(DltFilterOptions.time("--since", "2026-11-29", now)).isEqualTo(Instant.parse("2026-11-29T00:00:00Z"));
        assertThat(DltFilterOptions.time("--since", "90m", now)).isEqualTo(Instant.parse("2026-11-30T14:30:00Z"));
        assertThat(DltFilterOptions.time("--since", "7d", now)).isEqualTo(Instant.parse("2026-11-23T16:00:00Z"));
        assertThatThrownBy(() -> DltFilterOptions.time("--since", "yesterday", now))
                .hasMessageContaining("--since 'yesterday' is not a time");
    }

    @Test
    void shouldRefuseAWrongTimeBeforeTouchingKafka() throws Exception {
        int exit = run("dlt", "list", "--config", config("localhost:1").toString(), "--since", "yesterday");

        assertThat(exit).isEqualTo(2);
        assertThat(err.toString()).contains("is not a time");
    }

    @Test
    void shouldAskWhichEndpointWhenThereAreSeveral() throws Exception {
        int exit = run("dlt", "purge", "--config", config("localhost:1").toString(), "--all", "--yes");

        assertThat(exit).isEqualTo(2);
        assertThat(err.toString()).contains("2 target endpoints").contains("--endpoint");
    }

    @Test
    void shouldRequireWhatToPurge() throws Exception {
        int exit = run("dlt", "purge", "--config", config("localhost:1").toString(), "--endpoint", "erp");

        assertThat(exit).isEqualTo(2);
        assertThat(err.toString()).contains("--all").contains("--before");
    }

    @Test
    void shouldReadApplyRetryDurations() {
        ApplyRetryOptions.DurationConverter convert = new ApplyRetryOptions.DurationConverter();

        assertThat(convert.convert("500ms")).isEqualTo(java.time.Duration.ofMillis(500));
        assertThat(convert.convert("5s")).isEqualTo(java.time.Duration.ofSeconds(5));
        assertThat(convert.convert("2m")).isEqualTo(java.time.Duration.ofMinutes(2));
        assertThatThrownBy(() -> convert.convert("soon")).hasMessageContaining("is not a duration");
    }

    @Test
    void shouldSayClearlyWhenTheBrokerCannotBeReached() throws Exception {
        int exit = run("dlt", "list", "--config", config("127.0.0.1:1").toString(), "--endpoint", "erp");

        assertThat(exit).isEqualTo(1);
        assertThat(err.toString()).contains("cannot reach the Kafka cluster at 127.0.0.1:1");
    }
}
