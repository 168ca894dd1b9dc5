package io.dualsync.it;

import io.dualsync.launcher.DualsyncCommand;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code dualsync demo --check [--erp mariadb]} as a user runs it: its own broker, registry and databases, the
 * initial sync of the seeded CRM, then every scripted change verified on the ERP.
 */
class DemoCheckIT {

    @ParameterizedTest(name = "ERP on {0}")
    @ValueSource(strings = {"postgres", "mariadb"})
    void shouldSyncEveryScriptedChangeAndExitZero(String erp, @TempDir Path dir) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = DualsyncCommand.commandLine();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));

        int exit = cli.execute("demo", "--check", "--erp", erp, "--accounts", "300", "--work-dir", dir.toString());

        assertThat(out.toString()).contains("Initial sync complete");
        assertThat(out.toString()).containsPattern("(\\d+)/\\1 changes synced");
        assertThat(exit).as("exit code; stderr: %s", err).isZero();
    }
}
